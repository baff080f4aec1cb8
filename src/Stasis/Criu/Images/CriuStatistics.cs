namespace Stasis.Criu.Images;

/// <summary>CRIU's own figures from stats-dump and stats-restore; either may be missing.</summary>
public sealed record CriuStatistics(DumpStatistics? Dump, RestoreStatistics? Restore);
