using Shouldly;
using Stasis.Checkpoints;
using Stasis.IntegrationTests.Infrastructure;
using Xunit;

namespace Stasis.IntegrationTests.Archives;

/// <summary>Archives travel between Podman 4.3.1 and Stasis in both directions, with the same busybox rootfs loaded
/// into each (`podman import` names it localhost/busybox:latest, Stasis busybox:latest).</summary>
public sealed class PodmanInteropTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    private const string Counter = "echo made > /made.txt; i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done";

    [Fact]
    public async Task An_archive_podman_exported_imports_into_stasis_and_runs_on()
    {
        await using var t = await TestRoot.CreateAsync();
        await using var podman = PodmanSandbox.Create();
        await podman.RunAsync(Ct, "import", BusyboxRootfs.Path, "localhost/busybox:latest");
        await podman.RunAsync(Ct, ["run", "-d", "--name", "pc", .. PodmanSandbox.RunFlags, "localhost/busybox", "sh", "-c", Counter]);
        await Task.Delay(1500, Ct);
        var archive = Path.Combine(t.Dir, "podman.tar.zst");
        await podman.RunAsync(Ct, "container", "checkpoint", "--export", archive, "pc");
        var printed = (await podman.RunAsync(Ct, "logs", "pc")).Split('\n').Select(long.Parse).Last();

        var r = await t.Engine.ImportCheckpointAsync(archive, null, Ct);
        r.Container.Name.ShouldBe("pc");
        r.Warnings.ShouldContain(w => w.Contains("stasis.manifest"));
        var numbers = await t.WaitForNumbersAsync("pc", 3);
        numbers[0].ShouldBe(printed + 1);
        var made = await t.Engine.ExecAsync("pc", new Containers.ExecOptions { Command = ["cat", "/made.txt"], CaptureOutput = true }, Ct);
        made.StandardOutput!.Trim().ShouldBe("made");
    }

    [Fact]
    public async Task An_archive_stasis_exported_imports_into_podman_and_runs_on()
    {
        await using var t = await TestRoot.CreateAsync();
        await using var podman = PodmanSandbox.Create();
        await podman.RunAsync(Ct, "import", BusyboxRootfs.Path, "localhost/busybox:latest");
        await t.RunAsync("sc", "sh", "-c", Counter);
        await t.WaitForNumbersAsync("sc", 5);
        var archive = Path.Combine(t.Dir, "stasis.tar.zst");
        await t.Engine.CheckpointAndExportAsync("sc", new CheckpointOptions { Name = "cp" }, archive, null, Ct);
        var printed = (await t.NumbersAsync("sc")).Last();
        await t.Engine.RemoveAsync("sc", force: true, Ct);

        await podman.RunAsync(Ct, "container", "restore", "--import", archive);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<long> numbers;
        do
        {
            await Task.Delay(200, Ct);
            numbers = (await podman.RunAsync(Ct, "logs", "sc")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
        } while (numbers.Count < 3 && DateTime.UtcNow < deadline);
        numbers.Count.ShouldBeGreaterThanOrEqualTo(3);
        numbers[0].ShouldBe(printed + 1);
        (await podman.RunAsync(Ct, "inspect", "sc", "--format", "{{.State.Status}}")).ShouldBe("running");
        var merged = await podman.RunAsync(Ct, "mount", "sc");
        (await File.ReadAllTextAsync(Path.Combine(merged, "made.txt"), Ct)).ShouldBe("made\n");
        await podman.RunAsync(Ct, "umount", "sc");
    }
}
