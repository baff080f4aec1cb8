namespace Stasis.Checkpoints;

/// <summary>What an export wrote: the checkpoint it came from, its raw and archived sizes, and the time of each phase
/// (dump when it also took the checkpoint; pack, compress and transfer overlap and are each the time spent in them).</summary>
public sealed record ExportResult(CheckpointInfo Checkpoint, long RawBytes, long ArchiveBytes, IReadOnlyList<PhaseTiming> Phases);
