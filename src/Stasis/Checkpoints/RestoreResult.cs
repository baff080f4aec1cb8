using Stasis.Containers;
using Stasis.Criu;

namespace Stasis.Checkpoints;

/// <summary>The container a restore brought back, from which checkpoint, with CRIU's figures and phase times.</summary>
public sealed record RestoreResult(ContainerInfo Container, CheckpointInfo Checkpoint, CriuRestoreStats? Stats, IReadOnlyList<PhaseTiming> Phases);
