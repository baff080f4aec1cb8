namespace Stasis.Criu.Images;

/// <summary>stats-dump: times in microseconds, counts in pages.</summary>
public sealed record DumpStatistics(
    ulong FreezingTimeUs,
    ulong FrozenTimeUs,
    ulong MemdumpTimeUs,
    ulong MemwriteTimeUs,
    ulong PagesScanned,
    ulong PagesSkippedParent,
    ulong PagesWritten,
    ulong PagesLazy);
