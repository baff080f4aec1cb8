namespace Stasis.Criu.Images;

/// <summary>stats-restore: times in microseconds, counts in pages.</summary>
public sealed record RestoreStatistics(ulong RestoreTimeUs, ulong ForkingTimeUs, ulong PagesRestored, ulong PagesCompared, ulong PagesSkippedCow);
