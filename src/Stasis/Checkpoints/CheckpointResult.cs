namespace Stasis.Checkpoints;

/// <summary>What a checkpoint produced, with the time spent in each phase.</summary>
public sealed record CheckpointResult(CheckpointInfo Checkpoint, IReadOnlyList<PhaseTiming> Phases);
