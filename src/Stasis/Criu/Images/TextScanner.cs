namespace Stasis.Criu.Images;

/// <summary>Exact bytes, found with a vectorized search (<see cref="ByteLiteral"/>) straight in mapped memory. Every
/// occurrence counts, overlapping ones too, so chunks are independent.</summary>
internal sealed class TextScanner(byte[] needle) : MemoryScanner
{
    private readonly ByteLiteral _literal = ByteLiteral.Exact(needle);

    public override int Lookahead => _literal.Length - 1;
    public override int Lookbehind => 0;
    public override bool Sequential => false;
    public override int BufferLength(int chunkSize) => 0;

    public override void Scan(ReadOnlySpan<byte> window, int from, int to, long windowOffset, ScanHits hits, int cap, char[] buffer)
    {
        var pos = from;
        while (pos < to)
        {
            var i = _literal.IndexIn(window[pos..]);
            if (i < 0 || pos + i >= to)
                return;
            pos += i;
            hits.Add(windowOffset + pos, _literal.Length);
            if (hits.Count >= cap)
                return;
            pos++;
        }
    }
}
