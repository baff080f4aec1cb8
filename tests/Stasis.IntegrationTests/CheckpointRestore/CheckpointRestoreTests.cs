using Shouldly;
using Xunit;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;

namespace Stasis.IntegrationTests.CheckpointRestore;

/// <summary>The foundation's user story on the real tools: run, checkpoint, restore in place or as copies.</summary>
public sealed class CheckpointRestoreTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    [Fact]
    public async Task Counter_resumes_where_it_stopped_after_checkpoint_and_restore_in_place()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("counter", TestRoot.Counter());
        await t.WaitForNumbersAsync("counter", 5);

        var cp = await t.Engine.CheckpointAsync("counter", new CheckpointOptions { Name = "cp1" }, Ct);
        cp.Checkpoint.Name.ShouldBe("cp1");
        (await t.Engine.InspectAsync("counter", Ct)).State.ShouldBe(ContainerState.Checkpointed);
        var before = await t.NumbersAsync("counter");
        await Task.Delay(500, Ct);
        (await t.NumbersAsync("counter")).Count.ShouldBe(before.Count, "a checkpointed container must not run");

        var r = await t.Engine.RestoreAsync("counter", new RestoreOptions(), Ct);
        r.Checkpoint.Name.ShouldBe("cp1");
        r.Container.State.ShouldBe(ContainerState.Running);
        var after = await t.WaitForNumbersAsync("counter", before.Count + 5);
        var resumed = after.Skip(before.Count).ToList();
        resumed[0].ShouldBe(before[^1] + 1, "the counter continues from its own memory, it does not start over");
        resumed.ShouldBeInOrder(SortDirection.Ascending);
        resumed[^1].ShouldBeGreaterThan(resumed[0]);
    }

    [Fact]
    public async Task Leave_running_keeps_the_container_running_and_a_copy_runs_beside_it()
    {
        await using var t = await TestRoot.CreateAsync();
        var original = await t.RunAsync("orig", TestRoot.Counter());
        await t.WaitForNumbersAsync("orig", 3);

        var cp = await t.Engine.CheckpointAsync("orig", new CheckpointOptions { Name = "live", LeaveRunning = true }, Ct);
        var atCheckpoint = (await t.NumbersAsync("orig"))[^1];
        (await t.Engine.InspectAsync("orig", Ct)).State.ShouldBe(ContainerState.Running);
        var origCount = (await t.NumbersAsync("orig")).Count;
        await t.WaitForNumbersAsync("orig", origCount + 3); // still counting

        var copy = await t.Engine.RestoreAsync("orig", new RestoreOptions { Checkpoint = cp.Checkpoint.Name, Name = "copy" }, Ct);
        copy.Container.Name.ShouldBe("copy");
        copy.Container.Id.ShouldNotBe(original.Id);
        var copyNumbers = await t.WaitForNumbersAsync("copy", 3);
        copyNumbers[0].ShouldBeGreaterThan(1, "the copy continues the checkpointed count rather than starting at 1");
        copyNumbers[0].ShouldBeLessThanOrEqualTo(atCheckpoint + 1);

        var both = await t.Engine.ListAsync(false, Ct);
        both.Select(c => c.Name).ShouldBe(["orig", "copy"], ignoreOrder: true);
        both.Select(c => c.Pid).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Three_copies_of_one_checkpoint_run_at_once_with_separate_pids()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("src", TestRoot.Counter());
        await t.WaitForNumbersAsync("src", 3);
        await t.Engine.CheckpointAsync("src", new CheckpointOptions { Name = "base" }, Ct);
        var last = (await t.NumbersAsync("src"))[^1];

        var pids = new List<int>();
        foreach (var name in new[] { "c1", "c2", "c3" })
        {
            var r = await t.Engine.RestoreAsync("src", new RestoreOptions { Checkpoint = "base", Name = name }, Ct);
            pids.Add(r.Container.Pid);
        }
        pids.Distinct().Count().ShouldBe(3);
        pids.ShouldAllBe(p => p > 0 && Directory.Exists($"/proc/{p}"));
        foreach (var name in new[] { "c1", "c2", "c3" })
        {
            var n = await t.WaitForNumbersAsync(name, 3);
            n[0].ShouldBe(last + 1, $"{name} resumes from the checkpoint");
        }
        (await t.Engine.InspectAsync("src", Ct)).State.ShouldBe(ContainerState.Checkpointed, "copies leave the original alone");
    }

    [Fact]
    public async Task Memory_content_is_identical_after_restore()
    {
        await using var t = await TestRoot.CreateAsync();
        // 64 KiB of random bytes live only in the shell's memory; the container prints their checksum.
        await t.RunAsync("mem", "sh", "-c",
            "data=$(head -c 65536 /dev/urandom | od -A n -t x1 | tr -d ' \\n'); while true; do echo \"sum $(echo $data | md5sum)\"; sleep 0.1; done");
        var sums = await t.WaitForLogAsync("mem", l => l.Count(x => x.StartsWith("sum ")) >= 2);
        var before = sums.Last(x => x.StartsWith("sum "));
        var seen = sums.Count;

        await t.Engine.CheckpointAsync("mem", null, Ct);
        await t.Engine.RestoreAsync("mem", null, Ct);
        var after = await t.WaitForLogAsync("mem", l => l.Count > seen + 2);
        after.Skip(seen).Where(x => x.StartsWith("sum ")).ShouldAllBe(x => x == before);
    }

    // An established TCP connection on the container's loopback: a listener fed by a never-ending stdin and a
    // client sending a line every 200 ms, beside the usual counter.
    private static readonly string[] TcpPair =
    [
        "sh", "-c",
        "sleep 100000 | nc -l -p 7000 >/dev/null & sleep 0.3; (while true; do echo x; sleep 0.2; done) | nc 127.0.0.1 7000 >/dev/null & " +
        "i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done",
    ];

    private static async Task<List<string>> EstablishedAsync(TestRoot t, string container)
    {
        var r = await t.Engine.ExecAsync(container, new ExecOptions { Command = ["netstat", "-tn"], CaptureOutput = true }, Ct);
        return r.StandardOutput!.Split('\n').Where(l => l.Contains("ESTABLISHED")).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).Order().ToList();
    }

    [Fact]
    public async Task A_checkpoint_CRIU_refuses_fails_with_its_reason_and_the_container_keeps_running()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("tcp", TcpPair);
        await t.WaitForNumbersAsync("tcp", 8);
        (await EstablishedAsync(t, "tcp")).Count.ShouldBe(2, "both ends of the loopback connection are up");

        var e = await Should.ThrowAsync<CriuException>(() => t.Engine.CheckpointAsync("tcp", new CheckpointOptions { Name = "bad" }, Ct));
        e.Message.ShouldContain("tcp-established");
        e.LogPath.ShouldNotBeNull();
        File.Exists(e.LogPath).ShouldBeTrue("the CRIU log is kept for the user");

        (await t.Engine.InspectAsync("tcp", Ct)).State.ShouldBe(ContainerState.Running);
        t.Engine.ListCheckpoints("tcp").ShouldBeEmpty("a failed checkpoint leaves nothing half-made");
        var count = (await t.NumbersAsync("tcp")).Count;
        await t.WaitForNumbersAsync("tcp", count + 3); // still counting
        (await EstablishedAsync(t, "tcp")).Count.ShouldBe(2, "the connection survived the refused checkpoint");
    }

    [Fact]
    public async Task With_tcp_established_the_same_connection_continues_after_restore()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("tcp", TcpPair);
        await t.WaitForNumbersAsync("tcp", 5);
        var before = await EstablishedAsync(t, "tcp");
        before.Count.ShouldBe(2);

        await t.Engine.CheckpointAsync("tcp", new CheckpointOptions { Name = "net", TcpEstablished = true }, Ct);
        var r = await t.Engine.RestoreAsync("tcp", null, Ct);
        r.Checkpoint.TcpEstablished.ShouldBeTrue();
        await Task.Delay(600, Ct); // several client writes go over the restored connection
        (await EstablishedAsync(t, "tcp")).ShouldBe(before, "the same ports: the connection was restored, not re-made");
    }

    [Fact]
    public async Task Restore_of_a_missing_checkpoint_fails_clearly_and_changes_nothing()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("c", TestRoot.Counter());
        await t.WaitForNumbersAsync("c", 2);
        await t.Engine.StopAsync("c", TimeSpan.FromSeconds(1), Ct);

        var none = await Should.ThrowAsync<StasisException>(() => t.Engine.RestoreAsync("c", null, Ct));
        none.Code.ShouldBe(StasisErrorCode.NotFound);
        none.Message.ShouldContain("no checkpoints");

        await t.Engine.StartAsync("c", Ct);
        await t.Engine.CheckpointAsync("c", new CheckpointOptions { Name = "real" }, Ct);
        var missing = await Should.ThrowAsync<StasisException>(() => t.Engine.RestoreAsync("c", new RestoreOptions { Checkpoint = "nope" }, Ct));
        missing.Code.ShouldBe(StasisErrorCode.NotFound);
        missing.Message.ShouldContain("nope");
        (await t.Engine.InspectAsync("c", Ct)).State.ShouldBe(ContainerState.Checkpointed);

        var unknown = await Should.ThrowAsync<StasisException>(() => t.Engine.RestoreAsync("no-such-container", null, Ct));
        unknown.Code.ShouldBe(StasisErrorCode.NotFound);
    }

    [Fact]
    public async Task A_failed_restore_keeps_the_checkpoint_intact_and_leaves_no_half_made_container()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("c", TestRoot.Counter());
        await t.WaitForNumbersAsync("c", 2);
        var cp = await t.Engine.CheckpointAsync("c", new CheckpointOptions { Name = "cp", LeaveRunning = true }, Ct);
        // Damage one image the way a bad disk would; the restore must fail cleanly.
        var images = Path.Combine(cp.Checkpoint.Path!, "checkpoint");
        var core = Directory.GetFiles(images, "core-*.img").First();
        var bytes = await File.ReadAllBytesAsync(core, Ct);
        Array.Fill(bytes, (byte)0xFF, 8, Math.Min(64, bytes.Length - 8));
        await File.WriteAllBytesAsync(core, bytes, Ct);
        var snapshot = Snapshot(cp.Checkpoint.Path!);

        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.RestoreAsync("c", new RestoreOptions { Checkpoint = "cp", Name = "copy" }, Ct));
        e.Code.ShouldBe(StasisErrorCode.Criu);
        (await t.Engine.ListAsync(true, Ct)).Select(c => c.Name).ShouldBe(["c"], "no half-made container");
        Snapshot(cp.Checkpoint.Path!).ShouldBe(snapshot, "the checkpoint is not changed by a failed restore");
        Runtime.MountTable.Under(t.Dir).Count(m => m.EndsWith("/rootfs", StringComparison.Ordinal)).ShouldBe(1, "only the original's rootfs stays mounted");
        Directory.GetFiles(Path.Combine(t.Dir, "run", "netns")).Length.ShouldBe(1, "only the original's network namespace remains");
    }

    [Fact]
    public async Task Rm_force_of_a_running_container_leaves_no_runc_state_mount_namespace_or_process()
    {
        await using var t = await TestRoot.CreateAsync();
        var c = await t.RunAsync("doomed", TestRoot.Counter());
        await t.WaitForNumbersAsync("doomed", 2);
        c.Pid.ShouldBeGreaterThan(0);
        Runtime.MountTable.Under(t.Dir).ShouldNotBeEmpty();

        await t.Engine.RemoveAsync("doomed", force: true, Ct);

        await Should.ThrowAsync<StasisException>(() => t.Engine.InspectAsync("doomed", Ct));
        Directory.Exists(Path.Combine(t.Dir, "run", "runc", c.Id)).ShouldBeFalse("runc's state is deleted");
        Runtime.MountTable.Under(t.Dir).ShouldBeEmpty();
        Directory.GetFiles(Path.Combine(t.Dir, "run", "netns")).ShouldBeEmpty();
        Directory.Exists($"/proc/{c.Pid}").ShouldBeFalse("the container's process is gone");
        Directory.Exists(Path.Combine(t.Dir, "containers", c.Id)).ShouldBeFalse();
    }

    [Fact]
    public async Task Two_commands_on_one_container_at_once_are_serialized_not_interleaved()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("busy", TestRoot.Counter());
        await t.WaitForNumbersAsync("busy", 2);

        var a = t.Engine.CheckpointAsync("busy", new CheckpointOptions { Name = "a", LeaveRunning = true }, Ct);
        var b = t.Engine.CheckpointAsync("busy", new CheckpointOptions { Name = "b", LeaveRunning = true }, Ct);
        var results = await Task.WhenAll(a, b);

        results.Select(r => r.Checkpoint.Name).ShouldBe(["a", "b"], ignoreOrder: true);
        t.Engine.ListCheckpoints("busy").Select(c => c.Name).ShouldBe(["a", "b"], ignoreOrder: true);
        (await t.Engine.InspectAsync("busy", Ct)).State.ShouldBe(ContainerState.Running);

        // A checkpoint racing a forced removal: whichever runs second sees the other's result whole.
        var cp = t.Engine.CheckpointAsync("busy", new CheckpointOptions { Name = "c" }, Ct);
        var rm = t.Engine.RemoveAsync("busy", force: true, Ct);
        try { await cp; } catch (StasisException) { }
        await rm;
        (await t.Engine.ListAsync(true, Ct)).ShouldBeEmpty();
        Runtime.MountTable.Under(t.Dir).ShouldBeEmpty();
    }


    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f),
            f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
