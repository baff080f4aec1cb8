namespace Stasis.Checkpoints;

/// <summary>What `stasis checkpoint` takes.</summary>
public sealed record CheckpointOptions
{
    /// <summary>Checkpoint name; default derived from the time (cp-YYYYMMDD-HHMMSS).</summary>
    public string? Name { get; init; }
    /// <summary>Keep the container running after the dump (default: it stops).</summary>
    public bool LeaveRunning { get; init; }
    /// <summary>Dump established TCP connections (CRIU --tcp-established); restore then needs the same.</summary>
    public bool TcpEstablished { get; init; }
    /// <summary>Dump file locks (CRIU --file-locks).</summary>
    public bool FileLocks { get; init; }
    /// <summary>Do not save the container's file-system changes (rootfs-diff.tar, deleted.files).</summary>
    public bool IgnoreRootfs { get; init; }
    /// <summary>Do not save the content of named volumes (volumes/&lt;name&gt;.tar).</summary>
    public bool IgnoreVolumes { get; init; }
}
