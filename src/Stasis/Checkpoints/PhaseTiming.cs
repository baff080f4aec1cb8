namespace Stasis.Checkpoints;

/// <summary>Wall time of one phase of a checkpoint or restore (dump, rootfs diff, restore …).</summary>
public sealed record PhaseTiming(string Phase, TimeSpan Duration);
