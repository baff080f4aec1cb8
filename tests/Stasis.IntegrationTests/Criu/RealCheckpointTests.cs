using System.Text.Json;
using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.IntegrationTests.Criu;

/// <summary>Reads checkpoints that real CRIU made of a real process tree, and checks them against what the
/// processes were doing and against crit's decoding of the same images.</summary>
public sealed class RealCheckpointTests(DumpedWorkload dumped) : IClassFixture<DumpedWorkload>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (PythonWorkload W, string Images) First()
    {
        Requirements.RootAndCriu();
        return (dumped.Workload, dumped.FirstImages);
    }

    private static Task<CheckpointInspection> Inspect(string images, InspectOptions o)
        => new Engine(new EngineOptions { Root = Path.GetTempPath() }).InspectCheckpointDirectoryAsync(Path.GetDirectoryName(images)!, o, Ct);

    [Fact]
    public async Task Process_tree_and_command_lines_match_the_running_processes()
    {
        var (w, images) = First();

        var r = await Inspect(images, new InspectOptions { Cmdline = true, Environment = true });

        r.Processes.Select(p => (p.Pid, p.ParentPid)).ShouldBe([(w.Pid, 0), (w.ChildPid, w.Pid)]);
        r.Processes.ShouldAllBe(p => p.Command == "python3" && p.State == "alive");
        r.Processes[0].Session.ShouldBe(w.Pid);
        r.Processes[0].Cmdline.ShouldBe(w.ExpectedCmdline);
        r.Processes[1].Cmdline.ShouldBe(w.ExpectedCmdline);
        r.Processes[0].Environment.ShouldNotBeNull();
        r.Processes[0].Environment!.ShouldContain(e => e.StartsWith("PATH="));
    }

    [Fact]
    public async Task The_open_file_appears_with_its_path_and_position()
    {
        var (w, images) = First();

        var root = (await Inspect(images, new InspectOptions { Files = true })).Processes[0];

        root.Files.ShouldNotBeNull();
        var data = root.Files.Where(f => f.Path == w.DataPath).ShouldHaveSingleItem();
        data.Type.ShouldBe("file");
        data.Position.ShouldBe(1234ul);
        data.Mode.ShouldBe("r");
        root.Files.Where(f => f.Fd <= 2).ShouldAllBe(f => f.Path == "/dev/null");
        root.WorkingDirectory.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Listening_and_established_tcp_sockets_appear_with_their_ports()
    {
        var (w, images) = First();

        var sockets = (await Inspect(images, new InspectOptions { Sockets = true })).Sockets!.Where(s => s.Pid == w.Pid).ToList();

        sockets.ShouldContain(s => s.State == "LISTEN" && s.Protocol == "tcp" && s.Family == "ipv4" && s.LocalAddress == "127.0.0.1" && s.LocalPort == w.Port);
        sockets.ShouldContain(s => s.State == "ESTABLISHED" && s.LocalPort == w.ClientPort && s.RemotePort == w.Port && s.RemoteAddress == "127.0.0.1");
        sockets.ShouldContain(s => s.State == "ESTABLISHED" && s.LocalPort == w.Port && s.RemotePort == w.ClientPort);
    }

    [Fact]
    public async Task Memsearch_finds_the_string_inside_one_of_the_process_mappings()
    {
        var (w, images) = First();
        var engine = new Engine(new EngineOptions { Root = Path.GetTempPath() });

        var result = await engine.MemSearchDirectoryAsync(images, new MemorySearchQuery { Text = w.MemoryMarker, Pid = w.Pid }, Ct);
        var memory = (await Inspect(images, new InspectOptions { Memory = true })).Processes[0].Memory!;

        result.Matches.ShouldNotBeEmpty();
        foreach (var m in result.Matches)
        {
            m.Pid.ShouldBe(w.Pid);
            m.Text.ShouldBe(w.MemoryMarker);
            memory.Areas.ShouldContain(a => a.Start <= m.Address && m.Address + (ulong)m.Length <= a.End);
        }
        var regex = await engine.MemSearchDirectoryAsync(images, new MemorySearchQuery { Pattern = "MEM-[0-9a-f]{32}-sisats-END" }, Ct);
        regex.Matches.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Memory_and_summary_agree_with_criu_own_page_count()
    {
        var (w, images) = First();

        var r = await Inspect(images, new InspectOptions { Memory = true, Stats = true });
        var summary = new Engine(new EngineOptions { Root = Path.GetTempPath() }).SummarizeCheckpoint(Path.GetDirectoryName(images)!);

        var pages = r.Processes.Aggregate(0ul, (s, p) => s + p.Memory!.ResidentPages);
        summary.Processes.ShouldBe(2);
        summary.MemoryPages.ShouldBe(pages);
        r.Stats!.Dump!.PagesWritten.ShouldBe(r.Processes.Aggregate(0ul, (s, p) => s + p.Memory!.DumpedPages));
        var pagesFiles = Directory.GetFiles(images, "pages-*.img").Sum(f => new FileInfo(f).Length);
        ((long)r.Stats.Dump.PagesWritten * Environment.SystemPageSize).ShouldBe(pagesFiles);
        r.Processes[0].Memory!.Areas.ShouldContain(a => a.Kind == "stack");
        r.Processes[0].Memory!.Areas.ShouldContain(a => a.Path == "/usr/bin/python3.11" || (a.Path != null && a.Path.Contains("python3")));
    }

    [Fact]
    public async Task Diff_of_two_dumps_shows_the_new_file_and_the_grown_heap()
    {
        Requirements.RootAndCriu();
        var w = dumped.Workload;

        var d = await new Engine(new EngineOptions { Root = Path.GetTempPath() })
            .DiffCheckpointDirectoriesAsync(dumped.FirstImages, dumped.SecondImages, Ct);

        d.ProcessesStarted.ShouldBeEmpty();
        d.ProcessesEnded.ShouldBeEmpty();
        d.FilesOpened.ShouldContain(f => f.Pid == w.Pid && f.File.Path == w.DataPath + ".second" && f.File.Mode == "w");
        d.FilesClosed.ShouldBeEmpty();
        var grown = d.MemoryChanges.Where(m => m.Pid == w.Pid).ShouldHaveSingleItem();
        grown.DeltaBytes.ShouldBeGreaterThanOrEqualTo(8L * 1024 * 1024);
    }

    [Fact]
    public async Task Json_of_a_real_inspection_round_trips()
    {
        var (_, images) = First();
        var r = await Inspect(images, InspectOptions.All);
        var json = JsonSerializer.Serialize(r, InspectionJsonContext.Default.CheckpointInspection);
        JsonSerializer.Deserialize(json, InspectionJsonContext.Default.CheckpointInspection).ShouldBe(r);
    }

    [Fact]
    public async Task Decoding_agrees_with_crit()
    {
        var (w, images) = First();
        string Img(string name) => Path.Combine(images, name);
        var r = await Inspect(images, new InspectOptions { Files = true, Sockets = true, Memory = true, Stats = true });

        // pstree.img
        var tree = CriuTool.Decode(Img("pstree.img")).EnumerateArray().ToList();
        tree.Select(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("ppid").GetInt32(), e.GetProperty("pgid").GetInt32(), e.GetProperty("sid").GetInt32()))
            .ShouldBe(r.Processes.Select(p => (p.Pid, p.ParentPid, p.ProcessGroup, p.Session)));
        tree.Select(e => e.GetProperty("threads").EnumerateArray().Select(t => t.GetInt32()).ToArray())
            .ShouldBe(r.Processes.Select(p => p.Threads.ToArray()));

        // core-N.img: command name and state
        foreach (var p in r.Processes)
        {
            var tc = CriuTool.Decode(Img($"core-{p.Pid}.img"))[0].GetProperty("tc");
            tc.GetProperty("comm").GetString().ShouldBe(p.Command);
            tc.GetProperty("task_state").GetInt32().ShouldBe(1);
        }

        // fdinfo + files.img: fd numbers, paths and positions, socket ports and states
        var root = r.Processes[0];
        var filesId = CriuTool.Decode(Img($"ids-{w.Pid}.img"))[0].GetProperty("files_id").GetInt32();
        var fdinfo = CriuTool.Decode(Img($"fdinfo-{filesId}.img")).EnumerateArray().ToList();
        fdinfo.Select(f => f.GetProperty("fd").GetInt32()).Order().ShouldBe(root.Files!.Select(f => f.Fd));
        var files = CriuTool.Decode(Img("files.img")).EnumerateArray().ToDictionary(f => f.GetProperty("id").GetInt32());
        foreach (var fd in fdinfo)
        {
            var ours = root.Files!.Single(f => f.Fd == fd.GetProperty("fd").GetInt32());
            var theirs = files[fd.GetProperty("id").GetInt32()];
            if (theirs.TryGetProperty("reg", out var reg))
            {
                ours.Path.ShouldBe(reg.GetProperty("name").GetString());
                ours.Position.ShouldBe(reg.GetProperty("pos").GetUInt64());
            }
            if (theirs.TryGetProperty("isk", out var isk))
            {
                var s = r.Sockets!.Single(x => x.Pid == w.Pid && x.Fd == ours.Fd);
                s.LocalPort.ShouldBe(isk.GetProperty("src_port").GetInt32());
                s.RemotePort.ShouldBe(isk.GetProperty("dst_port").GetInt32());
                s.State.ShouldBe(isk.GetProperty("state").GetInt32() switch { 1 => "ESTABLISHED", 10 => "LISTEN", var n => n.ToString() });
                s.Inode.ShouldBe(isk.GetProperty("ino").GetUInt32());
            }
        }

        // mm-N.img: the mappings
        var mm = CriuTool.Decode(Img($"mm-{w.Pid}.img"))[0];
        mm.GetProperty("vmas").EnumerateArray().Select(v => (v.GetProperty("start").GetUInt64(), v.GetProperty("end").GetUInt64()))
            .ShouldBe(root.Memory!.Areas.Select(a => (a.Start, a.End)));

        // stats-dump
        var dump = CriuTool.Decode(Img("stats-dump"))[0].GetProperty("dump");
        r.Stats!.Dump!.PagesWritten.ShouldBe(dump.GetProperty("pages_written").GetUInt64());
        r.Stats.Dump.FrozenTimeUs.ShouldBe(dump.GetProperty("frozen_time").GetUInt64());
        r.Stats.Dump.PagesScanned.ShouldBe(dump.GetProperty("pages_scanned").GetUInt64());
    }
}
