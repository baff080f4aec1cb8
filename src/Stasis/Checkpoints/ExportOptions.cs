using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>How a checkpoint archive is written.</summary>
public sealed record ExportOptions
{
    /// <summary>zstd (default, on every core), gzip, or none.</summary>
    public CompressionKind Compression { get; init; } = CompressionKind.Zstd;

    /// <summary>Reports the bytes packed so far; called often, from the exporting thread.</summary>
    public IProgress<ArchiveProgress>? Progress { get; init; }
}
