using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>checkpoint, checkpoint ls, restore and checkpoint rm through the CLI, on a container that counts.</summary>
[Collection(CliCollection.Name)]
public sealed partial class CliCheckpointTests
{
    private const string Counter = "i=0; while true; do echo $i; i=$((i+1)); sleep 0.1; done";

    [GeneratedRegex(@"pages written\s+(\d+)")]
    private static partial Regex PagesWritten();

    [GeneratedRegex(@"pages restored\s+(\d+)")]
    private static partial Regex PagesRestored();

    private static async Task StartCounterAsync(CliSandbox s, string name)
    {
        await s.OkAsync("run", "-d", "--name", name, "busybox", "sh", "-c", Counter);
        await CliSandbox.WaitUntilAsync(async () => (await s.NumbersLoggedAsync(name)).Count >= 5, $"{name} to count to 5");
    }

    [Fact]
    public async Task Checkpoint_ls_restore_and_rm_and_the_counter_resumes()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "counter");

        var cp = await s.OkAsync("checkpoint", "counter", "--name", "first", "--print-stats");

        cp.OutLines[0].ShouldBe("first", cp.ToString());
        long.Parse(PagesWritten().Match(cp.Out).Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, cp.ToString());
        cp.Out.ShouldContain("freezing time");
        (await s.FieldAsync("counter", "state")).ShouldBe("checkpointed");
        (await s.OkAsync("ps", "-q")).Out.ShouldBeEmpty();
        (await s.OkAsync("ps", "-a")).OutLines.Single(l => l.EndsWith("counter", StringComparison.Ordinal)).ShouldContain("Checkpointed");
        // A checkpointed container keeps its rootfs, /dev/shm and netns until it is restored or removed.
        CliSandbox.MountsUnder(s.Root).Count(m => m.EndsWith("/rootfs", StringComparison.Ordinal)).ShouldBe(1);
        var atCheckpoint = (await s.NumbersLoggedAsync("counter")).ToList();

        var ls = await s.OkAsync("checkpoint", "ls", "counter");
        ls.OutLines.Skip(1).ShouldHaveSingleItem(ls.ToString()).ShouldStartWith("counter");
        ls.OutLines[1].ShouldContain("first");
        using (var doc = JsonDocument.Parse((await s.OkAsync("checkpoint", "ls", "counter", "--format", "json")).Out))
        {
            var info = doc.RootElement.EnumerateArray().ShouldHaveSingleItem();
            info.GetProperty("name").GetString().ShouldBe("first");
            info.GetProperty("leaveRunning").GetBoolean().ShouldBeFalse();
        }

        var restore = await s.OkAsync("restore", "counter", "--print-stats");

        long.Parse(PagesRestored().Match(restore.Out).Groups[1].Value, CultureInfo.InvariantCulture).ShouldBeGreaterThan(0, restore.ToString());
        (await s.FieldAsync("counter", "state")).ShouldBe("running");
        await CliSandbox.WaitUntilAsync(async () => (await s.NumbersLoggedAsync("counter")).Count >= atCheckpoint.Count + 3,
            "the restored counter to go on");
        var after = (await s.NumbersLoggedAsync("counter")).Skip(atCheckpoint.Count).ToList();
        after[0].ShouldBeGreaterThanOrEqualTo(atCheckpoint[^1], "the counter resumed where it was, it did not start again");
        after.ShouldBeInOrder(SortDirection.Ascending);

        (await s.OkAsync("checkpoint", "rm", "counter", "first")).OutLines.ShouldBe(["first"]);
        (await s.OkAsync("checkpoint", "ls", "counter")).OutLines.Length.ShouldBe(1);
        (await s.FieldAsync("counter", "checkpoints")).ShouldBeEmpty();
        var again = await s.RunAsync("checkpoint", "rm", "counter", "first");
        again.Exit.ShouldBe(103, again.ToString());
        again.ErrorLines.ShouldHaveSingleItem().ShouldContain("first");
    }

    [Fact]
    public async Task Leave_running_checkpoint_and_a_copy_restored_beside_the_original()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "orig");

        await s.OkAsync("checkpoint", "orig", "--name", "snap", "--leave-running");
        (await s.FieldAsync("orig", "state")).ShouldBe("running");
        var origPid = await s.FieldAsync("orig", "pid");

        var copyId = (await s.OkAsync("restore", "orig", "--checkpoint", "snap", "--name", "copy")).OutLines.ShouldHaveSingleItem();

        (await s.FieldAsync("copy", "id")).ShouldBe(copyId);
        (await s.FieldAsync("copy", "state")).ShouldBe("running");
        (await s.FieldAsync("orig", "state")).ShouldBe("running");
        (await s.FieldAsync("copy", "pid")).ShouldNotBe(origPid);
        (await s.OkAsync("ps", "-q")).OutLines.Length.ShouldBe(2);
        await CliSandbox.WaitUntilAsync(async () => (await s.NumbersLoggedAsync("copy")).Count >= 3, "the copy to count");
        (await s.NumbersLoggedAsync("copy"))[0].ShouldBeGreaterThan(0, "the copy continues from the checkpoint");
    }

    [Fact]
    public async Task Default_checkpoint_names_are_listed_and_the_newest_is_restored()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "web");

        var first = (await s.OkAsync("checkpoint", "web", "--leave-running")).OutLines[0];
        var second = (await s.OkAsync("checkpoint", "web")).OutLines[0];

        first.ShouldStartWith("cp-");
        second.ShouldStartWith("cp-");
        second.ShouldNotBe(first);
        (await s.FieldAsync("web", "checkpoints")).Split(' ').ShouldBe([first, second], ignoreOrder: true);
        var restore = await s.OkAsync("restore", "web");
        restore.ShouldNotBeNull();
        using var doc = JsonDocument.Parse((await s.OkAsync("inspect", "web")).Out);
        doc.RootElement.GetProperty("restoredFrom").GetString()!.ShouldEndWith("/" + second);
    }

    [Fact]
    public async Task Checkpoint_of_a_container_that_is_not_running_is_refused()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.RunAsync("run", "--name", "gone", "busybox", "true");

        var r = await s.RunAsync("checkpoint", "gone");

        r.Exit.ShouldBe(104, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("not running");
        (await s.FieldAsync("gone", "checkpoints")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Restore_of_a_missing_checkpoint_fails_clearly_and_changes_nothing()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "web");
        await s.OkAsync("checkpoint", "web", "--name", "real");

        var r = await s.RunAsync("restore", "web", "--checkpoint", "imaginary");

        r.Exit.ShouldBe(103, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("imaginary");
        (await s.FieldAsync("web", "state")).ShouldBe("checkpointed");
        (await s.FieldAsync("web", "checkpoints")).ShouldBe("real");
    }

    [Fact]
    public async Task The_checkpoint_holding_a_stopped_container_is_kept_and_restore_in_place_needs_it_stopped()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "web");
        await s.OkAsync("checkpoint", "web", "--name", "held");

        var rm = await s.RunAsync("checkpoint", "rm", "web", "held");
        rm.Exit.ShouldBe(104, rm.ToString());
        rm.ErrorLines.ShouldHaveSingleItem().ShouldContain("held");
        (await s.FieldAsync("web", "checkpoints")).ShouldBe("held");

        await s.OkAsync("restore", "web");
        var twice = await s.RunAsync("restore", "web");
        twice.Exit.ShouldBe(104, twice.ToString());
        twice.ErrorLines.ShouldHaveSingleItem().ShouldContain("--name");
        (await s.OkAsync("ps", "-q")).OutLines.Length.ShouldBe(1);
    }

    [Fact]
    public async Task A_checkpoint_name_is_checked_and_not_reused()
    {
        await using var s = await CliSandbox.CreateAsync();
        await StartCounterAsync(s, "web");
        await s.OkAsync("checkpoint", "web", "--name", "one", "--leave-running");

        var dup = await s.RunAsync("checkpoint", "web", "--name", "one", "--leave-running");
        dup.Exit.ShouldBe(104, dup.ToString());
        dup.ErrorLines.ShouldHaveSingleItem().ShouldContain("'one'");

        var bad = await s.RunAsync("checkpoint", "web", "--name", "../escape");
        bad.Exit.ShouldBe(125, bad.ToString());
        bad.ErrorLines.ShouldHaveSingleItem().ShouldContain("../escape");

        (await s.FieldAsync("web", "state")).ShouldBe("running");
        (await s.FieldAsync("web", "checkpoints")).ShouldBe("one");
    }
}
