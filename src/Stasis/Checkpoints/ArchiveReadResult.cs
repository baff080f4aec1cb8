using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>What <see cref="CheckpointArchiveReader"/> found: the compression, warnings, and where its time went.</summary>
internal sealed record ArchiveReadResult(CompressionKind Compression, long ArchiveBytes, IReadOnlyList<string> Warnings, IReadOnlyList<PhaseTiming> Phases);
