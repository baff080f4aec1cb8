using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class CheckpointInspectorTests : IDisposable
{
    private readonly FakeCheckpoint _cp = SampleCheckpoint.Create();

    public void Dispose() => _cp.Dispose();

    private CheckpointInspection Inspect(InspectOptions o) => CheckpointInspector.Inspect(_cp.Open(), o, TestContext.Current.CancellationToken);

    [Fact]
    public void Process_tree_has_pids_parents_threads_command_and_state()
    {
        var r = Inspect(InspectOptions.ProcessTreeOnly);

        r.ImageVersion.ShouldBe(2);
        r.Processes.Select(p => (p.Pid, p.ParentPid, p.Command, p.State)).ShouldBe([(1, 0, "app", "alive"), (2, 1, "worker", "alive")]);
        r.Processes[0].Threads.ShouldBe([1, 5]);
        r.Processes[0].Cmdline.ShouldBeNull();
        r.Processes[0].Files.ShouldBeNull();
        r.Sockets.ShouldBeNull();
        r.Mounts.ShouldBeNull();
        r.Stats.ShouldBeNull();
    }

    [Fact]
    public void Cmdline_and_environment_come_from_the_dumped_stack()
    {
        var p = Inspect(new InspectOptions { Cmdline = true, Environment = true }).Processes[0];

        p.Cmdline.ShouldBe(["/bin/app", "--serve", "port=8080"]);
        p.Environment.ShouldBe(["HOME=/root", "MODE=prod"]);
    }

    [Fact]
    public void Cmdline_is_empty_when_its_pages_are_not_in_the_checkpoint()
        => Inspect(new InspectOptions { Cmdline = true }).Processes[1].Cmdline.ShouldBeEmpty();

    [Fact]
    public void Files_show_fd_type_path_position_and_mode()
    {
        var p = Inspect(new InspectOptions { Files = true }).Processes[0];
        p.Files.ShouldNotBeNull();

        p.WorkingDirectory.ShouldBe("/srv");
        p.Files.ShouldContain(new OpenFile(0, "file", "/dev/null", 0, "rw"));
        p.Files.ShouldContain(new OpenFile(3, "file", "/var/log/app.log", 1234, "w"));
        p.Files.ShouldContain(new OpenFile(4, "socket", "tcp 127.0.0.1:8080 (LISTEN)", null, "rw"));
        p.Files.ShouldContain(new OpenFile(5, "socket", "tcp 127.0.0.1:8080->127.0.0.1:40000 (ESTABLISHED)", null, "rw"));
        p.Files.ShouldContain(new OpenFile(6, "socket", "unix stream /run/app.sock (LISTEN)"));
        p.Files.ShouldContain(new OpenFile(7, "pipe", "pipe:[777]", null, "w"));
        p.Files.Select(f => f.Fd).ShouldBe([0, 3, 4, 5, 6, 7]);
    }

    [Fact]
    public void Sockets_have_family_addresses_ports_and_state_names()
    {
        var s = Inspect(new InspectOptions { Sockets = true }).Sockets!;

        s.ShouldContain(new CheckpointSocket(1, 4, "ipv4", "stream", "tcp", "LISTEN", "127.0.0.1", 8080, "0.0.0.0", 0, null, 300));
        s.ShouldContain(new CheckpointSocket(1, 5, "ipv4", "stream", "tcp", "ESTABLISHED", "127.0.0.1", 8080, "127.0.0.1", 40000, null, 301));
        s.ShouldContain(x => x.Family == "unix" && x.Path == "/run/app.sock" && x.State == "LISTEN" && x.Fd == 6);
        s.Count.ShouldBe(3);
    }

    [Fact]
    public void Mounts_have_id_mountpoint_type_and_source()
    {
        var m = Inspect(new InspectOptions { Mounts = true }).Mounts!;
        m.ShouldBe([
            new CheckpointMount(100, 1, "/", "overlay", "overlay", "/", "lowerdir=/l"),
            new CheckpointMount(101, 100, "/proc", "proc", "proc", "/", ""),
        ]);
    }

    [Fact]
    public void Memory_counts_resident_stored_parent_lazy_and_shared_pages()
    {
        var m = Inspect(new InspectOptions { Memory = true }).Processes[0].Memory!;

        m.ResidentPages.ShouldBe(5ul);   // 2 heap + 1 parent + 1 lazy + 1 stack
        m.DumpedPages.ShouldBe(3ul);
        m.ParentPages.ShouldBe(1ul);
        m.LazyPages.ShouldBe(1ul);
        m.SharedPages.ShouldBe(3ul);     // shmem pagemap: 1 + 2 pages inside the 4-page mapping
        m.SizeBytes.ShouldBe(8ul * 4096);
        m.VirtualBytes.ShouldBe(0x2000ul + 0x6000 + 0x4000 + 0x2000);
        m.Areas.Select(a => (a.Kind, a.Protection, a.Path, a.ResidentPages)).ShouldBe([
            ("file-private", "r-xp", "/bin/app", 0ul),
            ("heap", "rw-p", null, 4ul),
            ("anon-shared", "rw-s", null, 0ul),
            ("stack", "rw-p", null, 1ul),
        ]);
    }

    [Fact]
    public void Stats_come_from_stats_dump_and_the_restore_copy_beside_the_images()
    {
        var s = Inspect(new InspectOptions { Stats = true }).Stats!;

        s.Dump.ShouldBe(new DumpStatistics(240, 135161, 14560, 4062, 2314, 0, 2179, 0));
        s.Restore!.RestoreTimeUs.ShouldBe(9000ul);
        s.Restore.PagesRestored.ShouldBe(2179ul);
    }

    [Fact]
    public void A_folder_without_inventory_is_not_a_checkpoint()
    {
        File.Delete(_cp.Path("inventory.img"));
        var e = Should.Throw<StasisException>(() => _cp.Open());
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("inventory.img");
    }

    [Fact]
    public void A_damaged_core_image_fails_with_its_name()
    {
        File.WriteAllBytes(_cp.Path("core-2.img"), ImageWriter.Frame(CriuMagic.Mm, []));
        var e = Should.Throw<StasisException>(() => Inspect(InspectOptions.ProcessTreeOnly));
        e.Message.ShouldContain("core-2.img");
    }

    [Fact]
    public void Summary_counts_processes_and_pages_without_pages_files()
    {
        foreach (var f in Directory.GetFiles(_cp.Images, "pages-*.img"))
            File.Delete(f);

        CheckpointSummarizer.Summarize(_cp.Open()).ShouldBe(new CheckpointSummary(2, 6, 6 * 4096));
    }
}
