namespace Stasis.Criu.Images;

/// <summary>One unit of a parallel memory search: bytes [Start, End) of one segment of one process, or the point where
/// a process's pages file ends too early (<see cref="DamagedAt"/> ≥ 0).</summary>
internal sealed class MemorySearchChunk(MemorySearchProcess process, int segment, long start, long end, long damagedAt = -1)
{
    public MemorySearchProcess Process { get; } = process;
    public int Segment { get; } = segment;
    public long Start { get; } = start;
    public long End { get; } = end;
    public long DamagedAt { get; } = damagedAt;
    /// <summary>Set once scanned; a chunk the workers never reached is scanned during the merge.</summary>
    public ScanHits? Hits { get; set; }
}
