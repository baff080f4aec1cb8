using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>How a checkpoint archive is written.</summary>
public sealed record ExportOptions
{
    /// <summary>zstd (default, on every core), gzip, or none.</summary>
    public CompressionKind Compression { get; init; } = CompressionKind.Zstd;

    /// <summary>Reports the bytes packed so far; called often, from the exporting thread.</summary>
    public IProgress<ArchiveProgress>? Progress { get; init; }

    /// <summary>Into a file: have it on disk (fsync) before it is renamed into place. Off by default, like tar, cp and
    /// Podman: the rename alone already makes the file appear only when complete, and an archive a crash cut short
    /// is refused on import (zstd framing, end-of-archive marker, manifest). Waiting for the disk cost 0.5–1 s per
    /// 512 MiB here, which is most of what the export costs beyond CRIU.</summary>
    public bool Sync { get; init; }
}
