namespace Stasis.Checkpoints;

/// <summary>Member names of a checkpoint folder and archive. The names are Podman's and CRI-O's, so archives
/// travel between engines and checkpointctl reads them; stasis.* members are our own.</summary>
internal static class CheckpointLayout
{
    /// <summary>CRIU's image files.</summary>
    public const string CriuImages = "checkpoint";
    /// <summary>The engine's container configuration (JSON).</summary>
    public const string ConfigDump = "config.dump";
    /// <summary>The OCI runtime spec the container ran with.</summary>
    public const string SpecDump = "spec.dump";
    public const string NetworkStatus = "network.status";
    /// <summary>CRIU's dump statistics (a copy of checkpoint/stats-dump).</summary>
    public const string StatsDump = "stats-dump";
    public const string RootfsDiff = "rootfs-diff.tar";
    public const string DeletedFiles = "deleted.files";
    public const string Volumes = "volumes";
    public const string DevShm = "devshm-checkpoint.tar";
    /// <summary>sha256 and size of every member, checked before anything is restored.</summary>
    public const string Manifest = "stasis.manifest";
    /// <summary>Stasis's own description of the checkpoint (name, time, options, sizes).</summary>
    public const string Metadata = "stasis.checkpoint.json";
    /// <summary>runc's record of the container's stdio, inside the CRIU image folder.</summary>
    public const string Descriptors = "descriptors.json";
}
