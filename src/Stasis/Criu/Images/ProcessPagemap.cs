using System.Buffers.Binary;

namespace Stasis.Criu.Images;

/// <summary>A parsed pagemap-N.img (or pagemap-shmem-N.img): which virtual pages were dumped and where each run
/// sits in pages-&lt;PagesId&gt;.img. Pages of present runs are stored back to back in pagemap order.</summary>
internal sealed class ProcessPagemap
{
    private ProcessPagemap(string path, uint pagesId, PageRun[] runs, long pageSize)
    {
        Path = path;
        PagesId = pagesId;
        Runs = runs;
        PageSize = pageSize;
    }

    public string Path { get; }
    public uint PagesId { get; }
    /// <summary>Runs in file order (ascending addresses for process pagemaps).</summary>
    public PageRun[] Runs { get; }
    public long PageSize { get; }

    public ulong TotalPages => Sum(static _ => true);
    public ulong PagesInFile => Sum(static r => r.InFile);
    public ulong PagesInParent => Sum(static r => (r.Flags & PagemapFlags.Parent) != 0);
    /// <summary>Lazy pages that are not stored here (left for a page server).</summary>
    public ulong LazyOnlyPages => Sum(static r => (r.Flags & (PagemapFlags.Lazy | PagemapFlags.Present)) == PagemapFlags.Lazy);

    /// <summary>The pages file this pagemap points into, beside the pagemap.</summary>
    public string PagesFile => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? ".", $"pages-{PagesId}.img");

    public static ProcessPagemap? TryRead(string path, long pageSize)
    {
        if (!File.Exists(path))
            return null;
        var buffer = ImageFile.Load(path, out var length);
        try
        {
            return Parse(buffer.AsSpan(0, length), path, pageSize);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Parses the entries by hand: CRIU 4 moved nr_pages to a 64-bit field 5 (keeping field 2 as a 32-bit
    /// compatibility copy) which the published schemas lack, and pagemaps are the hot path of every summary.</summary>
    public static ProcessPagemap Parse(ReadOnlySpan<byte> data, string path, long pageSize)
    {
        var reader = ImageReader.Open(data, path, CriuMagic.Pagemap);
        if (!reader.TryReadEntry(out var head, out var headAt))
            throw ImageReader.Damaged(path, headAt, "pagemap has no head entry");
        uint pagesId = 0;
        var hr = new ProtoFieldReader(head, path, headAt);
        while (hr.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 0)
                pagesId = (uint)hr.ReadVarint();
            else
                hr.SkipField(wire);
        }

        // An array grown by hand: List<PageRun> over this struct is not precompiled and costs JIT time per run.
        var runs = new PageRun[16];
        var count = 0;
        long fileOffset = 0;
        while (reader.TryReadEntry(out var entry, out var at))
        {
            ulong vaddr = 0, compatPages = 0, pages = 0;
            bool hasPages = false, inParent = false, hasFlags = false, hasVaddr = false;
            uint flags = 0;
            var er = new ProtoFieldReader(entry, path, at);
            while (er.Next(out var field, out var wire))
            {
                if (wire != 0)
                {
                    er.SkipField(wire);
                    continue;
                }
                var v = er.ReadVarint();
                switch (field)
                {
                    case 1: vaddr = v; hasVaddr = true; break;
                    case 2: compatPages = v; break;
                    case 3: inParent = v != 0; break;
                    case 4: flags = (uint)v; hasFlags = true; break;
                    case 5: pages = v; hasPages = true; break;
                }
            }
            if (!hasVaddr)
                throw ImageReader.Damaged(path, at, "pagemap entry without an address");
            var n = hasPages ? pages : compatPages;
            var f = hasFlags ? (PagemapFlags)flags : inParent ? PagemapFlags.Parent : PagemapFlags.Present;
            var present = (f & PagemapFlags.Present) != 0 && (f & PagemapFlags.Parent) == 0;
            if (count == runs.Length)
            {
                var bigger = new PageRun[count * 2];
                Array.Copy(runs, bigger, count);
                runs = bigger;
            }
            runs[count++] = new PageRun(vaddr, n, f, present ? fileOffset : -1);
            if (present)
                fileOffset = checked(fileOffset + (long)n * pageSize);
        }
        if (count != runs.Length)
        {
            var exact = new PageRun[count];
            Array.Copy(runs, exact, count);
            runs = exact;
        }
        return new ProcessPagemap(path, pagesId, runs, pageSize);
    }

    /// <summary>Index of the run holding <paramref name="address"/>, or -1.</summary>
    public int FindRun(ulong address)
    {
        // Process pagemaps are sorted by address, so a binary search finds the last run starting at or below it.
        int lo = 0, hi = Runs.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Runs[mid].Address <= address) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0)
            return -1;
        var r = Runs[found];
        return address < r.Address + r.Pages * (ulong)PageSize ? found : -1;
    }

    /// <summary>Reads dumped memory at [address, address+length); stops early at the first byte that is not in this
    /// checkpoint's pages file. Returns the number of bytes read.</summary>
    public int ReadMemory(ulong address, Span<byte> destination)
    {
        var pagesFile = PagesFile;
        if (!File.Exists(pagesFile))
            return 0;
        using var handle = ImageFile.OpenRead(pagesFile);
        var done = 0;
        while (done < destination.Length)
        {
            var i = FindRun(address + (ulong)done);
            if (i < 0 || !Runs[i].InFile)
                break;
            var r = Runs[i];
            var within = address + (ulong)done - r.Address;
            var avail = (long)(r.Pages * (ulong)PageSize - within);
            var want = (int)Math.Min(avail, destination.Length - done);
            var n = RandomAccess.Read(handle, destination.Slice(done, want), r.FileOffset + (long)within);
            if (n <= 0)
                break;
            done += n;
            if (n < want)
                break;
        }
        return done;
    }

    private ulong Sum(Func<PageRun, bool> which)
    {
        ulong s = 0;
        foreach (var r in Runs)
            if (which(r))
                s += r.Pages;
        return s;
    }
}
