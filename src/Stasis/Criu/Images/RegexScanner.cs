using System.Text;
using System.Text.RegularExpressions;

namespace Stasis.Criu.Images;

/// <summary>A regular expression over memory read as Latin-1 (one char a byte, so indexes are byte offsets). Matches
/// do not overlap, as Regex reports them. When every match starts with a known literal, the literal is searched in
/// the bytes and only windows around its occurrences are turned into chars for the regex; otherwise the whole chunk
/// is. Either way the regex sees at least <c>overlap</c> bytes from each match start, so both give the same
/// matches (a regex that needs to look further than that may be cut short).</summary>
internal sealed class RegexScanner : MemoryScanner
{
    private readonly Regex _regex;
    private readonly ByteLiteral? _prefix;
    private readonly int _overlap;

    public RegexScanner(Regex regex, ByteLiteral? prefix, int overlap)
    {
        _regex = regex;
        _prefix = prefix;
        _overlap = overlap;
    }

    public override int Lookahead => _overlap;
    /// <summary>With a prefix the pattern has no lookbehind or anchor (<see cref="RegexPrefix"/>), so text before
    /// the literal cannot matter.</summary>
    public override int Lookbehind => _prefix is null ? _overlap : 0;
    public override bool Sequential => true;
    public override int BufferLength(int chunkSize) => _prefix is null ? chunkSize + 2 * _overlap : 2 * _overlap;

    public override void Scan(ReadOnlySpan<byte> window, int from, int to, long windowOffset, ScanHits hits, int cap, char[] buffer)
    {
        if (_prefix is null)
            ScanAll(window, from, to, windowOffset, hits, cap, buffer);
        else
            ScanAroundPrefix(window, from, to, windowOffset, hits, cap, buffer);
    }

    private void ScanAll(ReadOnlySpan<byte> window, int from, int to, long windowOffset, ScanHits hits, int cap, char[] buffer)
    {
        var text = buffer.AsSpan(0, window.Length);
        Encoding.Latin1.GetChars(window, text);
        foreach (var m in _regex.EnumerateMatches(text, from))
        {
            if (m.Index >= to)
                return;
            // An empty match says nothing worth showing; Regex moves on by one character.
            if (m.Length > 0)
            {
                hits.Add(windowOffset + m.Index, m.Length);
                if (hits.Count >= cap)
                    return;
            }
        }
    }

    private void ScanAroundPrefix(ReadOnlySpan<byte> window, int from, int to, long windowOffset, ScanHits hits, int cap, char[] buffer)
    {
        var prefix = _prefix!;
        var pos = from;
        while (pos < to)
        {
            // Only where a match may start: the lookahead past 'to' is there for the regex, and searching it would
            // fault in (mapped) pages that the next chunk reads anyway.
            var found = prefix.IndexIn(window[pos..Math.Min(window.Length, to + prefix.Length - 1)]);
            if (found < 0 || pos + found >= to)
                return;
            var start = pos + found;
            // The regex sees [start, end); a match starting at or past 'sure' would see less than the overlap
            // after it, so it is left for a window starting there (unless the window reaches the end anyway).
            var end = (int)Math.Min(window.Length, (long)start + 2 * _overlap);
            var sure = end == window.Length ? int.MaxValue : end - _overlap;
            var text = buffer.AsSpan(0, end - start);
            Encoding.Latin1.GetChars(window[start..end], text);
            var next = end == window.Length ? to : sure;
            foreach (var m in _regex.EnumerateMatches(text))
            {
                var at = start + m.Index;
                if (at >= to)
                    return;
                if (at >= sure)
                {
                    next = at;
                    break;
                }
                if (m.Length > 0)
                {
                    hits.Add(windowOffset + at, m.Length);
                    if (hits.Count >= cap)
                        return;
                    next = Math.Max(next, at + m.Length);
                }
            }
            pos = next;
        }
    }
}
