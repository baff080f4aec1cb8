using Google.Protobuf;
using Shouldly;
using Stasis.Criu.Images;
using Stasis.Criu.Proto;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class ImageFramingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stasis-framing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Put(string name, byte[] bytes)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    private static pstree_entry Tree(uint pid) => new() { Pid = pid, Ppid = 0, Pgid = pid, Sid = pid, Threads = { pid } };

    [Fact]
    public void Reads_every_entry_after_common_and_image_magic()
    {
        var p = Put("pstree.img", ImageWriter.Frame(CriuMagic.Pstree, [Tree(1).ToByteArray(), Tree(7).ToByteArray()]));

        var entries = ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser)!;

        entries.Select(e => e.Pid).ShouldBe([1u, 7u]);
        entries[1].Threads.ShouldBe([7u]);
    }

    [Fact]
    public void Inventory_has_a_single_magic_and_stats_the_service_magic()
    {
        var inv = Put("inventory.img", ImageWriter.Frame(CriuMagic.Inventory, [new inventory_entry { ImgVersion = 2 }.ToByteArray()], head: null));
        var stats = Put("stats-dump", ImageWriter.Frame(CriuMagic.Stats,
            [new stats_entry { Dump = new dump_stats_entry { FreezingTime = 5, PagesWritten = 9 } }.ToByteArray()], CriuMagic.Service));

        ImageFile.ReadSingle(inv, CriuMagic.Inventory, inventory_entry.Parser)!.ImgVersion.ShouldBe(2u);
        ImageFile.ReadSingle(stats, CriuMagic.Stats, stats_entry.Parser)!.Dump.PagesWritten.ShouldBe(9ul);
    }

    [Fact]
    public void An_empty_image_after_its_magic_has_no_entries()
    {
        var p = Put("pstree.img", ImageWriter.Frame(CriuMagic.Pstree, []));
        ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser).ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_image_reads_as_null()
        => ImageFile.ReadAll(Path.Combine(_dir, "nope.img"), CriuMagic.Pstree, pstree_entry.Parser).ShouldBeNull();

    [Fact]
    public void Wrong_magic_names_the_file_the_magic_and_the_offset()
    {
        var p = Put("pstree.img", ImageWriter.Frame(CriuMagic.Core, [Tree(1).ToByteArray()]));

        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain(p);
        e.Message.ShouldContain("CORE");
        e.Message.ShouldContain("byte offset 4");
    }

    [Fact]
    public void Unknown_magic_is_shown_in_hex()
    {
        var p = Put("x.img", ImageWriter.Frame(0xDEADBEEF, []));
        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));
        e.Message.ShouldContain("0xDEADBEEF");
        e.Message.ShouldContain("byte offset 4");
    }

    [Fact]
    public void A_file_shorter_than_its_magic_is_damaged_at_offset_0()
    {
        var p = Put("pstree.img", [0x19, 0x43]);
        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("byte offset 0");
    }

    [Fact]
    public void An_entry_cut_short_names_the_offset_of_that_entry()
    {
        var full = ImageWriter.Frame(CriuMagic.Pstree, [Tree(1).ToByteArray(), Tree(2).ToByteArray()]);
        var secondAt = 8 + 4 + Tree(1).ToByteArray().Length;
        var p = Put("pstree.img", full[..^3]);

        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("truncated");
        e.Message.ShouldContain($"byte offset {secondAt}");
    }

    [Fact]
    public void A_size_prefix_cut_short_is_damaged()
    {
        var full = ImageWriter.Frame(CriuMagic.Pstree, [Tree(1).ToByteArray()]);
        var p = Put("pstree.img", [.. full, 0x05, 0x00]);
        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));
        e.Message.ShouldContain($"byte offset {full.Length}");
    }

    [Fact]
    public void Garbage_protobuf_names_the_file_and_entry_offset()
    {
        // Field 1 as a length-delimited field that claims 100 bytes: not parseable.
        var p = Put("pstree.img", ImageWriter.Frame(CriuMagic.Pstree, [[0x0a, 0x64, 0x01]]));

        var e = Should.Throw<StasisException>(() => ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("pstree.img");
        e.Message.ShouldContain("byte offset 8");
    }

    [Fact]
    public void Reading_does_not_change_the_file()
    {
        var bytes = ImageWriter.Frame(CriuMagic.Pstree, [Tree(1).ToByteArray()]);
        var p = Put("pstree.img", bytes);
        var before = File.GetLastWriteTimeUtc(p);
        File.SetAttributes(p, FileAttributes.ReadOnly);
        try
        {
            ImageFile.ReadAll(p, CriuMagic.Pstree, pstree_entry.Parser)!.Count.ShouldBe(1);
            File.ReadAllBytes(p).ShouldBe(bytes);
            File.GetLastWriteTimeUtc(p).ShouldBe(before);
        }
        finally
        {
            File.SetAttributes(p, FileAttributes.Normal);
        }
    }
}
