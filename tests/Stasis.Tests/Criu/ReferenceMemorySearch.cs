using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Stasis.Criu.Images;

namespace Stasis.Tests.Criu;

/// <summary>The memory search as it was before it mapped pages files and split the work across threads, kept as the
/// oracle the new one is compared with. Finds text or a regular expression in the dumped memory of a checkpoint. Pages files are read
/// sequentially in large windows; runs of pages that are contiguous both in memory and in the file are searched as
/// one stream, so a match may span page and pagemap-entry boundaries.</summary>
internal static class ReferenceMemorySearch
{
    private const int WindowSize = 4 * 1024 * 1024;
    /// <summary>How far a regex match may reach across a window boundary; longer matches there can be missed.</summary>
    internal const int RegexOverlap = 64 * 1024;
    private const int MaxContext = 4096;
    private const int MaxShownText = 256;

    public static MemorySearchResult Search(CheckpointImages images, MemorySearchQuery query, CancellationToken ct)
        => Search(images, query, WindowSize, ct);

    /// <summary>The window size is a parameter so tests can force matches across window boundaries.</summary>
    internal static MemorySearchResult Search(CheckpointImages images, MemorySearchQuery query, int windowSize, CancellationToken ct)
    {
        var matcher = Matcher.Create(query, windowSize);
        if (query.Context is < 0 or > MaxContext)
            throw StasisException.Invalid($"context must be between 0 and {MaxContext} bytes");
        if (query.MaxMatches < 1)
            throw StasisException.Invalid("the maximum number of matches must be at least 1");
        if (matcher.Overlap >= windowSize / 2)
            throw StasisException.Invalid("the search text is too long");

        var tree = images.Tree;
        if (query.Pid is { } only && !tree.Any(p => p.Pid == only))
            throw StasisException.NotFound($"the checkpoint has no process with pid {only}");

        var matches = new List<MemoryMatch>();
        ulong searched = 0;
        var truncated = false;
        var buffer = ArrayPool<byte>.Shared.Rent(windowSize);
        var chars = matcher.Regex is null ? null : ArrayPool<char>.Shared.Rent(windowSize);
        try
        {
            foreach (var p in tree)
            {
                if (query.Pid is { } want && p.Pid != want)
                    continue;
                var pid = (int)p.Pid;
                if (images.Pagemap(pid) is not { } pm || !File.Exists(pm.PagesFile))
                    continue;
                var command = images.Core(pid)?.Tc?.Comm ?? "";
                using var handle = ImageFile.OpenRead(pm.PagesFile, FileOptions.SequentialScan);
                foreach (var seg in Segments(pm))
                {
                    searched += (ulong)seg.Length;
                    if (!SearchSegment(handle, pm.PagesFile, seg, buffer.AsSpan(0, windowSize), chars, matcher, query,
                            (segOffset, length) =>
                            {
                                if (matches.Count >= query.MaxMatches)
                                    return false;
                                matches.Add(MakeMatch(handle, seg, segOffset, length, query.Context, pid, command));
                                return true;
                            }, ct))
                    {
                        truncated = true;
                        break;
                    }
                }
                if (truncated)
                    break;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (chars is not null)
                ArrayPool<char>.Shared.Return(chars);
        }
        return new MemorySearchResult(matches, truncated, searched);
    }

    /// <summary>A stretch of memory stored contiguously: consecutive stored runs whose addresses also follow on.</summary>
    internal readonly record struct Segment(ulong Address, long FileOffset, long Length);

    internal static IEnumerable<Segment> Segments(ProcessPagemap pm)
    {
        Segment? cur = null;
        foreach (var r in pm.Runs)
        {
            if (!r.InFile || r.Pages == 0)
                continue;
            var len = (long)r.Pages * pm.PageSize;
            if (cur is { } c && c.Address + (ulong)c.Length == r.Address && c.FileOffset + c.Length == r.FileOffset)
            {
                cur = c with { Length = c.Length + len };
                continue;
            }
            if (cur is { } done)
                yield return done;
            cur = new Segment(r.Address, r.FileOffset, len);
        }
        if (cur is { } last)
            yield return last;
    }

    /// <summary>Streams one segment through the window. Each match start is owned by exactly one window: a window
    /// that is not the last keeps its final <c>Overlap</c> bytes for the next one, so a match that crosses the
    /// boundary is seen whole there and never twice. Returns false when the caller wants no more matches.</summary>
    private static bool SearchSegment(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string file, Segment seg, Span<byte> window,
        char[]? chars, Matcher matcher, MemorySearchQuery query, Func<long, int, bool> onMatch, CancellationToken ct)
    {
        long windowStart = 0, readPos = 0;
        var have = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            while (have < window.Length && readPos < seg.Length)
            {
                var want = (int)Math.Min(window.Length - have, seg.Length - readPos);
                var n = RandomAccess.Read(handle, window.Slice(have, want), seg.FileOffset + readPos);
                if (n <= 0)
                    throw ImageReader.Damaged(file, seg.FileOffset + readPos, "pages file is shorter than its pagemap says");
                have += n;
                readPos += n;
            }
            var last = readPos >= seg.Length;
            var ownedEnd = last ? have : have - matcher.Overlap;
            var data = window[..have];
            if (matcher.Regex is { } regex)
            {
                var text = chars.AsSpan(0, have);
                Encoding.Latin1.GetChars(data, text);
                foreach (var m in regex.EnumerateMatches(text))
                {
                    if (m.Index >= ownedEnd)
                        break;
                    if (m.Length > 0 && !onMatch(windowStart + m.Index, m.Length))
                        return false;
                }
            }
            else
            {
                var needle = matcher.Needle;
                var from = 0;
                while (from < ownedEnd)
                {
                    var i = data[from..].IndexOf(needle);
                    if (i < 0 || from + i >= ownedEnd)
                        break;
                    if (!onMatch(windowStart + from + i, needle.Length))
                        return false;
                    from += i + 1;
                }
            }
            if (last)
                return true;
            var keep = have - ownedEnd;
            window.Slice(ownedEnd, keep).CopyTo(window);
            windowStart += ownedEnd;
            have = keep;
        }
    }

    private static MemoryMatch MakeMatch(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Segment seg, long offset, int length,
        int context, int pid, string command)
    {
        var start = Math.Max(0, offset - context);
        var end = Math.Min(seg.Length, offset + length + context);
        var bytes = new byte[end - start];
        var got = 0;
        while (got < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(got), seg.FileOffset + start + got);
            if (n <= 0)
                break;
            got += n;
        }
        var matched = bytes.AsSpan((int)(offset - start), Math.Min(length, Math.Max(0, got - (int)(offset - start))));
        var shown = Encoding.Latin1.GetString(matched[..Math.Min(matched.Length, MaxShownText)]);
        var ctxAddress = seg.Address + (ulong)start;
        return new MemoryMatch(pid, command, seg.Address + (ulong)offset, length, shown, ctxAddress, Hexdump.Format(ctxAddress, bytes.AsSpan(0, got)));
    }

    /// <summary>The compiled form of a query: a UTF-8 needle for plain text, or a regex over Latin-1 characters
    /// (one char per byte, so indexes are byte offsets).</summary>
    private sealed class Matcher
    {
        public byte[] Needle { get; private init; } = [];
        public Regex? Regex { get; private init; }
        public int Overlap { get; private init; }

        public static Matcher Create(MemorySearchQuery q, int windowSize)
        {
            var hasText = !string.IsNullOrEmpty(q.Text);
            var hasPattern = !string.IsNullOrEmpty(q.Pattern);
            if (hasText == hasPattern)
                throw StasisException.Invalid("give exactly one of a search text or a regular expression");
            if (hasText && !q.IgnoreCase)
            {
                var needle = Encoding.UTF8.GetBytes(q.Text!);
                return new Matcher { Needle = needle, Overlap = needle.Length - 1 };
            }
            var pattern = hasText ? Regex.Escape(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(q.Text!))) : q.Pattern!;
            var options = RegexOptions.Compiled | RegexOptions.CultureInvariant | (q.IgnoreCase ? RegexOptions.IgnoreCase : 0);
            try
            {
                return new Matcher { Regex = new Regex(pattern, options), Overlap = Math.Min(RegexOverlap, windowSize / 4) };
            }
            catch (ArgumentException e)
            {
                throw StasisException.Invalid($"invalid regular expression: {e.Message}");
            }
        }
    }
}
