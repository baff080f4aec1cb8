namespace Stasis.Criu;

/// <summary>CRIU's figures for one dump (from its stats-dump file). Times in microseconds, as CRIU records them.</summary>
public sealed record CriuDumpStats(
    ulong FreezingTimeUs, ulong FrozenTimeUs, ulong MemDumpTimeUs, ulong MemWriteTimeUs,
    ulong PagesScanned, ulong PagesSkippedParent, ulong PagesWritten, ulong PagesLazy);
