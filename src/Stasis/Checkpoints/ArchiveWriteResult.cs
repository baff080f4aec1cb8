namespace Stasis.Checkpoints;

/// <summary>What <see cref="CheckpointArchiveWriter"/> wrote and where its time went.</summary>
internal sealed record ArchiveWriteResult(long RawBytes, long ArchiveBytes, IReadOnlyList<PhaseTiming> Phases);
