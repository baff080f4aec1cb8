namespace Stasis.Criu;

/// <summary>CRIU's figures for one restore (from its stats-restore file). Times in microseconds.</summary>
public sealed record CriuRestoreStats(ulong ForkingTimeUs, ulong RestoreTimeUs, ulong PagesRestored, ulong PagesCompared, ulong PagesSkippedCow);
