namespace Stasis.Criu.Images;

/// <summary>Finds the matches of one query in a window of dumped memory. The search hands each scanner a chunk of a
/// segment with <see cref="Lookbehind"/> bytes before and <see cref="Lookahead"/> bytes after it (as far as the
/// segment goes), and keeps only matches that start inside the chunk.</summary>
internal abstract class MemoryScanner
{
    /// <summary>Bytes after the chunk a match starting in it may need to be seen whole.</summary>
    public abstract int Lookahead { get; }

    /// <summary>Bytes before the chunk the scanner may look at (regex lookbehinds, \b).</summary>
    public abstract int Lookbehind { get; }

    /// <summary>True when matches may not overlap, so a chunk's matches depend on where the previous match ended
    /// and the search rescans a chunk whose first match started inside it.</summary>
    public abstract bool Sequential { get; }

    /// <summary>Characters of scratch buffer one thread needs for chunks of <paramref name="chunkSize"/> bytes.</summary>
    public abstract int BufferLength(int chunkSize);

    /// <summary>Adds to <paramref name="hits"/> the matches that start in window[from..to), as offsets
    /// <paramref name="windowOffset"/> + index, stopping once <paramref name="hits"/> holds <paramref name="cap"/>.</summary>
    public abstract void Scan(ReadOnlySpan<byte> window, int from, int to, long windowOffset, ScanHits hits, int cap, char[] buffer);
}
