using Google.Protobuf;
using Shouldly;
using Stasis.Criu.Images;
using Stasis.Criu.Proto;
using Xunit;

namespace Stasis.Tests.Criu;

/// <summary>The pids, command names and inventory check that <see cref="CheckpointImages"/> reads by hand (for the
/// memory search and summaries) agree with the generated parsers they replace there.</summary>
public sealed class HandReadImagesTests : IDisposable
{
    private readonly FakeCheckpoint _cp = new();

    public void Dispose() => _cp.Dispose();

    [Fact]
    public void Pids_and_commands_match_the_generated_parsers()
    {
        _cp.Process(1, 0, "init").Process(42, 1, "café worker", threads: [42, 43]).Process(7, 1, "");
        var images = _cp.Open();

        images.Pids.ShouldBe(images.Tree.Select(p => p.Pid).ToArray());
        images.Pids.ShouldBe([1u, 42u, 7u]);
        foreach (var pid in images.Pids)
            images.Command((int)pid).ShouldBe(images.Core((int)pid)?.Tc?.Comm ?? "");
        images.Command(42).ShouldBe("café worker");
    }

    [Fact]
    public void A_missing_core_has_no_command_and_a_core_without_task_core_an_empty_one()
    {
        _cp.Process(1, 0, "init");
        ImageWriter.Write(_cp.Path("core-1.img"), CriuMagic.Core, new core_entry { Mtype = core_entry.Types.march.X8664 });
        var images = _cp.Open();

        images.Command(1).ShouldBe("");
        images.Command(99).ShouldBe("");
    }

    [Fact]
    public void Repeated_task_core_fields_merge_like_the_generated_parser()
    {
        _cp.Process(1, 0, "init");
        // Two tc fields in one entry: protobuf merges them, so the later comm wins, and a tc without comm keeps it.
        var first = new core_entry { Tc = new task_core_entry { Comm = "first" } }.ToByteArray();
        var second = new core_entry { Tc = new task_core_entry { Comm = "second" } }.ToByteArray();
        var third = new core_entry { Tc = new task_core_entry { TaskState = 2 } }.ToByteArray();
        File.WriteAllBytes(_cp.Path("core-1.img"), ImageWriter.Frame(CriuMagic.Core, [[.. first, .. second, .. third]]));
        var images = _cp.Open();

        images.Command(1).ShouldBe(images.Core(1)!.Tc.Comm);
        images.Command(1).ShouldBe("second");
    }

    [Fact]
    public void A_pstree_entry_without_a_pid_reads_as_pid_0()
    {
        ImageWriter.Write(_cp.Path("pstree.img"), CriuMagic.Pstree, new pstree_entry { Ppid = 3 }, new pstree_entry { Pid = 5 });
        var images = _cp.Open();

        images.Pids.ShouldBe(images.Tree.Select(p => p.Pid).ToArray());
        images.Pids.ShouldBe([0u, 5u]);
    }

    [Fact]
    public void A_damaged_pstree_or_core_is_a_bad_archive()
    {
        File.WriteAllBytes(_cp.Path("pstree.img"), ImageWriter.Frame(CriuMagic.Pstree, [[0x08, 0x81]]));
        File.WriteAllBytes(_cp.Path("core-1.img"), ImageWriter.Frame(CriuMagic.Core, [[0x1a, 0x05, 0x32, 0x09]]));
        var images = _cp.Open();

        Should.Throw<StasisException>(() => images.Pids).Code.ShouldBe(StasisErrorCode.BadArchive);
        Should.Throw<StasisException>(() => images.Command(1)).Code.ShouldBe(StasisErrorCode.BadArchive);
    }

    [Fact]
    public void A_missing_pstree_is_not_a_complete_dump()
        => Should.Throw<StasisException>(() => _cp.Open().Pids).Message.ShouldContain("pstree.img is missing");

    [Fact]
    public void An_inventory_without_an_entry_or_with_a_damaged_one_is_not_a_checkpoint()
    {
        File.WriteAllBytes(_cp.Path("inventory.img"), ImageWriter.Frame(CriuMagic.Inventory, [], head: null));
        Should.Throw<StasisException>(() => _cp.Open()).Code.ShouldBe(StasisErrorCode.BadArchive);

        File.WriteAllBytes(_cp.Path("inventory.img"), ImageWriter.Frame(CriuMagic.Inventory, [[0x08]], head: null));
        Should.Throw<StasisException>(() => _cp.Open()).Code.ShouldBe(StasisErrorCode.BadArchive);
    }

    [Fact]
    public void The_inventory_is_parsed_when_asked_for()
        => _cp.Open().Inventory.ImgVersion.ShouldBe(2u);
}
