using System.Runtime.ExceptionServices;
using System.Text;

namespace Stasis.Criu.Images;

/// <summary>Finds text or a regular expression in the dumped memory of a checkpoint. Pages files are mapped chunk by
/// chunk and searched in place; runs of pages that are contiguous both in memory and in the file form one segment, so a match
/// may span page and pagemap-entry boundaries but never a hole in memory. Segments are cut into chunks that every
/// core takes in order; the chunks' matches are then merged in process and address order.</summary>
internal static class MemorySearch
{
    private const int ChunkSize = 2 * 1024 * 1024;
    /// <summary>How far past its start a regex match is guaranteed to be seen; a longer one may be cut short.</summary>
    internal const int RegexOverlap = 64 * 1024;
    private const int MaxContext = 4096;
    private const int MaxShownText = 256;

    public static MemorySearchResult Search(CheckpointImages images, MemorySearchQuery query, CancellationToken ct)
        => Search(images, query, ChunkSize, ct);

    /// <summary>The chunk size is a parameter so tests can force matches across chunk boundaries.</summary>
    internal static MemorySearchResult Search(CheckpointImages images, MemorySearchQuery query, int chunkSize, CancellationToken ct)
    {
        var plan = MemorySearchPlan.Create(query, chunkSize);
        if (query.Context is < 0 or > MaxContext)
            throw StasisException.Invalid($"context must be between 0 and {MaxContext} bytes");
        if (query.MaxMatches < 1)
            throw StasisException.Invalid("the maximum number of matches must be at least 1");
        if (plan.TextTooLong)
            throw StasisException.Invalid("the search text is too long");

        var pids = images.Pids;
        if (query.Pid is { } only && !Contains(pids, only))
            throw StasisException.NotFound($"the checkpoint has no process with pid {only}");

        var processes = new List<MemorySearchProcess>();
        try
        {
            var chunks = new List<MemorySearchChunk>();
            long bytes = 0;
            foreach (var p in pids)
            {
                if (query.Pid is { } want && p != want)
                    continue;
                var pid = (int)p;
                if (images.Pagemap(pid) is not { } pm || !File.Exists(pm.PagesFile))
                    continue;
                var command = images.Command(pid);
                var process = new MemorySearchProcess(pid, command, PagesMapping.Open(pm.PagesFile), Segments(pm));
                processes.Add(process);
                bytes += AddChunks(process, chunkSize, chunks);
            }
            var scanner = plan.Scanner(bytes);
            ScanAll(chunks, scanner, chunkSize, query.MaxMatches, ct);
            return Merge(chunks, scanner, chunkSize, query, ct);
        }
        finally
        {
            foreach (var p in processes)
                p.Pages.Dispose();
        }
    }

    private static bool Contains(uint[] pids, int pid)
    {
        foreach (var p in pids)
            if (p == pid)
                return true;
        return false;
    }

    /// <summary>Cuts a process's segments into chunks; a segment the pages file does not hold in full ends the
    /// process with a damaged marker (reported if the merge gets that far). Returns the bytes to scan.</summary>
    private static long AddChunks(MemorySearchProcess process, int chunkSize, List<MemorySearchChunk> chunks)
    {
        long bytes = 0;
        for (var s = 0; s < process.Segments.Length; s++)
        {
            var seg = process.Segments[s];
            if (seg.FileOffset + seg.Length > process.Pages.Length)
            {
                chunks.Add(new MemorySearchChunk(process, s, 0, 0, Math.Max(seg.FileOffset, process.Pages.Length)));
                break;
            }
            for (long start = 0; start < seg.Length; start += chunkSize)
                chunks.Add(new MemorySearchChunk(process, s, start, Math.Min(seg.Length, start + chunkSize)));
            bytes += seg.Length;
        }
        return bytes;
    }

    /// <summary>Scans chunks on every core, taking them in order. Once the finished chunks hold more matches than
    /// wanted, no later chunk can contribute, so the workers stop taking new ones.</summary>
    private static void ScanAll(List<MemorySearchChunk> chunks, MemoryScanner scanner, int chunkSize, int maxMatches, CancellationToken ct)
    {
        var next = -1;
        var found = 0L;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            try
            {
                var buffer = new char[scanner.BufferLength(chunkSize)];
                while (Volatile.Read(ref failure) is null && Interlocked.Read(ref found) <= maxMatches && !ct.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= chunks.Count)
                        return;
                    var c = chunks[i];
                    if (c.DamagedAt >= 0)
                        continue;
                    var hits = new ScanHits();
                    ScanRange(c, c.Start, scanner, hits, maxMatches + 1, buffer);
                    c.Hits = hits;
                    Interlocked.Add(ref found, hits.Count);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
        }

        var workers = Math.Min(Environment.ProcessorCount, chunks.Count);
        var threads = new Thread[Math.Max(0, workers - 1)];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(Work) { IsBackground = true, Name = "memsearch" };
            threads[t].Start();
        }
        Work();
        foreach (var t in threads)
            t.Join();
        failure?.Throw();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Scans the matches starting in [from, chunk.End) of the chunk's segment.</summary>
    private static void ScanRange(MemorySearchChunk chunk, long from, MemoryScanner scanner, ScanHits hits, int cap, char[] buffer)
    {
        var seg = chunk.Process.Segments[chunk.Segment];
        var windowStart = Math.Max(0, from - scanner.Lookbehind);
        var windowEnd = Math.Min(seg.Length, chunk.End + scanner.Lookahead);
        using var window = chunk.Process.Pages.Map(seg.FileOffset + windowStart, (int)(windowEnd - windowStart));
        scanner.Scan(window.Span, (int)(from - windowStart), (int)(chunk.End - windowStart), windowStart, hits, cap, buffer);
    }

    /// <summary>Puts the chunks' matches in order. Non-overlapping (regex) matches need one fix: a chunk scanned from
    /// its own start may have found a match inside the previous chunk's last match; it is scanned again from where
    /// that match ends, which is where a single pass would have gone on.</summary>
    private static MemorySearchResult Merge(List<MemorySearchChunk> chunks, MemoryScanner scanner, int chunkSize, MemorySearchQuery query,
        CancellationToken ct)
    {
        var matches = new List<MemoryMatch>();
        ulong searched = 0;
        char[]? buffer = null;
        MemorySearchChunk? previous = null;
        long previousEnd = 0;
        foreach (var c in chunks)
        {
            ct.ThrowIfCancellationRequested();
            if (c.DamagedAt >= 0)
                throw ImageReader.Damaged(c.Process.Pages.Path, c.DamagedAt, "pages file is shorter than its pagemap says");
            var seg = c.Process.Segments[c.Segment];
            if (previous is null || previous.Process != c.Process || previous.Segment != c.Segment)
            {
                searched += (ulong)seg.Length;
                previousEnd = 0;
            }
            previous = c;
            var hits = c.Hits;
            var overlapsPrevious = scanner.Sequential && previousEnd > c.Start;
            if (hits is null || (overlapsPrevious && hits.Count > 0 && hits.Offset(0) < previousEnd))
            {
                hits = new ScanHits();
                buffer ??= new char[scanner.BufferLength(chunkSize)];
                ScanRange(c, overlapsPrevious ? previousEnd : c.Start, scanner, hits, query.MaxMatches + 1, buffer);
            }
            for (var i = 0; i < hits.Count; i++)
            {
                if (matches.Count >= query.MaxMatches)
                    return new MemorySearchResult(matches, true, searched);
                matches.Add(MakeMatch(c.Process, seg, hits.Offset(i), hits.Length(i), query.Context));
            }
            if (hits.Count > 0)
                previousEnd = hits.End(hits.Count - 1);
        }
        return new MemorySearchResult(matches, false, searched);
    }

    /// <summary>A stretch of memory stored contiguously: consecutive stored runs whose addresses also follow on.</summary>
    internal readonly record struct Segment(ulong Address, long FileOffset, long Length);

    /// <summary>The process's segments in address order (an array built by hand, which needs no JIT at run time).</summary>
    internal static Segment[] Segments(ProcessPagemap pm)
    {
        var segments = new Segment[pm.Runs.Length];
        var count = 0;
        foreach (var r in pm.Runs)
        {
            if (!r.InFile || r.Pages == 0)
                continue;
            var len = (long)r.Pages * pm.PageSize;
            if (count > 0 && segments[count - 1] is var c && c.Address + (ulong)c.Length == r.Address && c.FileOffset + c.Length == r.FileOffset)
                segments[count - 1] = c with { Length = c.Length + len };
            else
                segments[count++] = new Segment(r.Address, r.FileOffset, len);
        }
        if (count == segments.Length)
            return segments;
        var exact = new Segment[count];
        Array.Copy(segments, exact, count);
        return exact;
    }

    private static MemoryMatch MakeMatch(MemorySearchProcess process, Segment seg, long offset, int length, int context)
    {
        var start = Math.Max(0, offset - context);
        var end = Math.Min(seg.Length, offset + length + context);
        var bytes = process.Pages.Read(seg.FileOffset + start, (int)(end - start)).AsSpan();
        var matched = bytes.Slice((int)(offset - start), (int)Math.Min(length, end - offset));
        var shown = Encoding.Latin1.GetString(matched[..Math.Min(matched.Length, MaxShownText)]);
        var ctxAddress = seg.Address + (ulong)start;
        return new MemoryMatch(process.Pid, process.Command, seg.Address + (ulong)offset, length, shown, ctxAddress, Hexdump.Format(ctxAddress, bytes));
    }
}
