using System.Formats.Tar;
using Shouldly;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.IntegrationTests.Criu;

/// <summary>The whole path a user takes: run a busybox container, checkpoint it with the engine, then inspect,
/// search and diff the named checkpoints. Uses its own state root, removed afterwards with the container.</summary>
public sealed class ContainerCheckpointInspectTests : IAsyncLifetime
{
    private const string Script = "exec 3</tmp/data; SECRET=stasis-container-secret-$((6*7)); sleep 1000 & while true; do sleep 1; done";
    private string _root = "";
    private Engine? _engine;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private async Task<Engine> StartContainer()
    {
        var busybox = Requirements.ContainerTools();
        _root = Directory.CreateTempSubdirectory("stasis-it-inspect-").FullName;
        _engine = new Engine(new EngineOptions { Root = _root });
        var rootfs = Path.Combine(_root, "rootfs-src");
        foreach (var d in new[] { "bin", "tmp", "proc", "dev", "sys", "etc" })
            Directory.CreateDirectory(Path.Combine(rootfs, d));
        File.Copy(busybox, Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "sleep" })
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        await File.WriteAllBytesAsync(Path.Combine(rootfs, "tmp", "data"), new byte[4000], Ct);
        var tar = Path.Combine(_root, "rootfs.tar");
        await TarFile.CreateFromDirectoryAsync(rootfs, tar, includeBaseDirectory: false, Ct);
        await _engine.ImportImageAsync(tar, "inspect-bb", Ct);
        await _engine.RunAsync(new CreateOptions { Image = "inspect-bb", Name = "inspectme", Command = ["sh", "-c", Script] }, Ct);
        await Task.Delay(500, Ct);
        return _engine;
    }

    [Fact]
    public async Task A_container_checkpoint_shows_its_processes_files_mounts_and_memory()
    {
        var engine = await StartContainer();
        await engine.CheckpointAsync("inspectme", new CheckpointOptions { Name = "cp1", LeaveRunning = true }, Ct);

        var r = await engine.InspectCheckpointAsync("inspectme", "cp1", InspectOptions.All, Ct);

        var sh = r.Processes[0];
        sh.Pid.ShouldBe(1);
        sh.Cmdline.ShouldBe(["sh", "-c", Script]);
        r.Processes.ShouldContain(p => p.ParentPid == 1 && p.Cmdline!.SequenceEqual(new[] { "sleep", "1000" }));
        sh.Files!.ShouldContain(f => f.Fd == 3 && f.Path == "/tmp/data" && f.Position == 0);
        r.Mounts!.ShouldContain(m => m.MountPoint == "/proc" && m.FsType == "proc");
        sh.Memory!.ResidentPages.ShouldBeGreaterThan(0ul);
        r.Stats!.Dump!.PagesWritten.ShouldBeGreaterThan(0ul);
        engine.SummarizeCheckpoint(engine.Paths.Checkpoint(engine.Containers.Resolve("inspectme").Id, "cp1")).Processes.ShouldBe(r.Processes.Count);

        var hits = await engine.MemSearchAsync("inspectme", "cp1", new MemorySearchQuery { Text = "stasis-container-secret-42", Pid = 1 }, Ct);
        var hit = hits.Matches.ShouldHaveSingleItem();
        sh.Memory.Areas.ShouldContain(a => a.Start <= hit.Address && hit.Address < a.End);

        await engine.CheckpointAsync("inspectme", new CheckpointOptions { Name = "cp2", LeaveRunning = true }, Ct);
        var diff = await engine.DiffCheckpointsAsync("inspectme", "cp1", "cp2", Ct);
        diff.ProcessesEnded.ShouldNotContain(p => p.Pid == 1);
        diff.FilesOpened.ShouldNotContain(f => f.Pid == 1);
    }

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            try { await _engine.RemoveAsync("inspectme", force: true, CancellationToken.None); }
            catch (StasisException) { }
        }
        if (_root.Length > 0 && Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
