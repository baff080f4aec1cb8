using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class PagemapTests : IDisposable
{
    private const int Ps = FakeCheckpoint.PageSize;
    private readonly string _dir = Directory.CreateTempSubdirectory("stasis-pagemap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ProcessPagemap Write(uint pagesId, params byte[][] entries)
    {
        var p = Path.Combine(_dir, "pagemap-1.img");
        ImageWriter.WritePagemap(p, pagesId, entries);
        return ProcessPagemap.TryRead(p, Ps)!;
    }

    [Fact]
    public void Stored_runs_follow_each_other_in_the_pages_file_and_others_take_no_room()
    {
        var pm = Write(3,
            ImageWriter.PagemapEntry(0x10000, 2, PagemapFlags.Present),
            ImageWriter.PagemapEntry(0x20000, 5, PagemapFlags.Parent),
            ImageWriter.PagemapEntry(0x30000, 1, PagemapFlags.Lazy),
            ImageWriter.PagemapEntry(0x40000, 3, PagemapFlags.Lazy | PagemapFlags.Present));

        pm.PagesId.ShouldBe(3u);
        pm.PagesFile.ShouldEndWith("pages-3.img");
        pm.Runs.Select(r => r.FileOffset).ShouldBe([0L, -1L, -1L, 2L * Ps]);
        pm.TotalPages.ShouldBe(11ul);
        pm.PagesInFile.ShouldBe(5ul);
        pm.PagesInParent.ShouldBe(5ul);
        pm.LazyOnlyPages.ShouldBe(1ul);
    }

    [Fact]
    public void Criu4_page_count_in_field_5_wins_over_the_32_bit_copy()
    {
        // CRIU 4 writes 0 in field 2 for counts that do not fit, and always the real count in field 5.
        var pm = Write(1, ImageWriter.PagemapEntry(0x10000, 5_000_000_000, PagemapFlags.Present));
        pm.Runs[0].Pages.ShouldBe(5_000_000_000ul);
    }

    [Fact]
    public void Legacy_entries_use_in_parent()
    {
        var pm = Write(1, ImageWriter.LegacyPagemapEntry(0x1000, 2, inParent: false), ImageWriter.LegacyPagemapEntry(0x5000, 1, inParent: true),
            ImageWriter.LegacyPagemapEntry(0x9000, 1, inParent: false));

        pm.Runs.Select(r => r.Flags).ShouldBe([PagemapFlags.Present, PagemapFlags.Parent, PagemapFlags.Present]);
        pm.Runs.Select(r => r.FileOffset).ShouldBe([0L, -1L, 2L * Ps]);
    }

    [Fact]
    public void Finds_the_run_of_an_address()
    {
        var pm = Write(1, ImageWriter.PagemapEntry(0x10000, 2, PagemapFlags.Present), ImageWriter.PagemapEntry(0x20000, 1, PagemapFlags.Present));

        pm.FindRun(0x10000).ShouldBe(0);
        pm.FindRun(0x11fff).ShouldBe(0);
        pm.FindRun(0x12000).ShouldBe(-1);
        pm.FindRun(0x20010).ShouldBe(1);
        pm.FindRun(0xfff).ShouldBe(-1);
        pm.FindRun(0x21000).ShouldBe(-1);
    }

    [Fact]
    public void Reads_memory_across_adjacent_runs_and_stops_at_a_hole()
    {
        var pm = Write(1,
            ImageWriter.PagemapEntry(0x10000, 1, PagemapFlags.Present),
            ImageWriter.PagemapEntry(0x11000, 1, PagemapFlags.Present),
            ImageWriter.PagemapEntry(0x13000, 1, PagemapFlags.Present));
        var pages = new byte[3 * Ps];
        for (var i = 0; i < pages.Length; i++)
            pages[i] = (byte)(i / Ps + 1);
        File.WriteAllBytes(Path.Combine(_dir, "pages-1.img"), pages);

        var buf = new byte[16];
        pm.ReadMemory(0x10ff8, buf).ShouldBe(16);
        buf.ShouldBe([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);

        pm.ReadMemory(0x11ffc, buf).ShouldBe(4);
        pm.ReadMemory(0x13000, buf).ShouldBe(16);
        buf[0].ShouldBe((byte)3);
    }

    [Fact]
    public void A_pagemap_without_head_is_damaged()
    {
        var p = Path.Combine(_dir, "pagemap-9.img");
        File.WriteAllBytes(p, ImageWriter.Frame(CriuMagic.Pagemap, []));
        var e = Should.Throw<StasisException>(() => ProcessPagemap.TryRead(p, Ps));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("pagemap-9.img");
    }

    [Fact]
    public void A_truncated_varint_is_damaged_at_its_entry()
    {
        var p = Path.Combine(_dir, "pagemap-9.img");
        File.WriteAllBytes(p, ImageWriter.Frame(CriuMagic.Pagemap, [ImageWriter.PagemapHead(1), [0x08, 0xff]]));
        var e = Should.Throw<StasisException>(() => ProcessPagemap.TryRead(p, Ps));
        e.Message.ShouldContain("byte offset 14");
    }
}
