using Stasis.Criu;

namespace Stasis.Checkpoints;

/// <summary>A named checkpoint of a container (stasis.checkpoint.json in its folder).</summary>
public sealed record CheckpointInfo
{
    public required string Name { get; init; }
    public required string ContainerId { get; init; }
    public required string ContainerName { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool LeaveRunning { get; init; }
    public bool TcpEstablished { get; init; }
    public bool FileLocks { get; init; }
    /// <summary>Bytes of CRIU images.</summary>
    public long ImagesSize { get; init; }
    /// <summary>Bytes of rootfs-diff.tar.</summary>
    public long RootfsDiffSize { get; init; }
    public int DeletedFiles { get; init; }
    /// <summary>True when the file-system changes were left out (--ignore-rootfs).</summary>
    public bool IgnoreRootfs { get; init; }
    /// <summary>Named volumes whose content the checkpoint holds (volumes/&lt;name&gt;.tar).</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>True when /dev/shm had content, saved as devshm-checkpoint.tar.</summary>
    public bool DevShm { get; init; }
    public string? CriuVersion { get; init; }
    /// <summary>CPU architecture of the dumping host (amd64, arm64 …); CRIU restores only on the same one.</summary>
    public string? Architecture { get; init; }
    public CriuDumpStats? DumpStats { get; init; }
    /// <summary>Where the checkpoint lives on disk (not stored; filled in when read).</summary>
    public string? Path { get; init; }
}
