namespace Stasis.Criu.Images;

/// <summary>The matches one chunk of a memory search found: start offsets within their segment and lengths, in
/// order. Plain arrays rather than a list of structs, which ReadyToRun cannot precompile outside CoreLib.</summary>
internal sealed class ScanHits
{
    private long[] _offsets = new long[4];
    private int[] _lengths = new int[4];

    public int Count { get; private set; }

    public long Offset(int i) => _offsets[i];
    public int Length(int i) => _lengths[i];
    public long End(int i) => _offsets[i] + _lengths[i];

    public void Add(long offset, int length)
    {
        if (Count == _offsets.Length)
        {
            Array.Resize(ref _offsets, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
        }
        _offsets[Count] = offset;
        _lengths[Count] = length;
        Count++;
    }

    public void Clear() => Count = 0;
}
