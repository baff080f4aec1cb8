using System.Text.Json;
using Shouldly;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>ps, inspect, logs, exec, stop, kill and start as a user sees them.</summary>
[Collection(CliCollection.Name)]
public sealed class CliLifecycleTests
{
    // Exits with 7 when sent SIGTERM (sh as PID 1 ignores TERM without a trap).
    private const string TrapsTerm = "trap 'exit 7' TERM; while true; do sleep 0.1; done";

    [Fact]
    public async Task Ps_shows_running_containers_and_ps_all_shows_the_rest()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "up", "busybox", "sleep", "1000");
        await s.OkAsync("run", "--name", "done", "busybox", "true");
        await s.OkAsync("create", "--name", "fresh", "busybox", "true");

        var ps = await s.OkAsync("ps");
        ps.OutLines[0].ShouldStartWith("CONTAINER ID");
        ps.OutLines.Skip(1).ShouldHaveSingleItem(ps.ToString()).ShouldEndWith("up");

        var all = await s.OkAsync("ps", "-a");
        all.OutLines.Length.ShouldBe(4, all.ToString());
        all.OutLines.Single(l => l.EndsWith("done", StringComparison.Ordinal)).ShouldContain("Exited (0)");
        all.OutLines.Single(l => l.EndsWith("up", StringComparison.Ordinal)).ShouldContain("Up");
        all.OutLines.Single(l => l.EndsWith("fresh", StringComparison.Ordinal)).ShouldContain("Created");
    }

    [Fact]
    public async Task Ps_json_reflects_each_container_state()
    {
        await using var s = await CliSandbox.CreateAsync();
        var upId = (await s.OkAsync("run", "-d", "--name", "up", "busybox", "sleep", "1000")).Out.Trim();
        await s.RunAsync("run", "--name", "failed", "busybox", "sh", "-c", "exit 9");

        var running = Parse((await s.OkAsync("ps", "--format", "json")).Out);
        running.Select(c => c.GetProperty("name").GetString()).ShouldBe(["up"]);

        var all = Parse((await s.OkAsync("ps", "-a", "--format", "json")).Out).ToDictionary(c => c.GetProperty("name").GetString()!);
        all.Keys.ShouldBe(["up", "failed"], ignoreOrder: true);
        all["up"].GetProperty("id").GetString().ShouldBe(upId);
        all["up"].GetProperty("state").GetString().ShouldBe("Running");
        all["up"].GetProperty("pid").GetInt32().ShouldBeGreaterThan(0);
        all["up"].GetProperty("command").EnumerateArray().Select(a => a.GetString()).ShouldBe(["sleep", "1000"]);
        all["failed"].GetProperty("state").GetString().ShouldBe("Exited");
        all["failed"].GetProperty("exitCode").GetInt32().ShouldBe(9);
        all["failed"].GetProperty("image").GetString().ShouldBe("busybox:latest");
    }

    [Fact]
    public async Task Inspect_formats_give_single_fields_and_json_the_whole_record()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "web", "busybox", "sleep", "1000");

        (await s.FieldAsync("web", "state")).ShouldBe("running");
        (await s.FieldAsync("web", "status")).ShouldBe("Up");
        var pid = int.Parse(await s.FieldAsync("web", "pid"), System.Globalization.CultureInfo.InvariantCulture);
        File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0].ShouldBe("sleep");

        using var doc = JsonDocument.Parse((await s.OkAsync("inspect", "web")).Out);
        doc.RootElement.GetProperty("name").GetString().ShouldBe("web");
        doc.RootElement.GetProperty("pid").GetInt32().ShouldBe(pid);

        var bad = await s.RunAsync("inspect", "--format", "colour", "web");
        bad.Exit.ShouldBe(125, bad.ToString());
        bad.ErrorLines.ShouldHaveSingleItem().ShouldContain("colour");
    }

    [Fact]
    public async Task Logs_show_what_the_container_printed_on_each_stream()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "talker", "busybox", "sh", "-c", "echo first; echo oops >&2; echo second; sleep 1000");

        await CliSandbox.WaitUntilAsync(async () => (await s.OkAsync("logs", "talker")).OutLines.Length >= 2, "two lines in the log");
        var logs = await s.OkAsync("logs", "talker");
        logs.OutLines.ShouldBe(["first", "second"], logs.ToString());
        logs.Err.ShouldContain("oops");
        logs.Out.ShouldNotContain("oops");
    }

    [Fact]
    public async Task Logs_of_an_exited_container_remain()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.RunAsync("run", "--name", "gone", "busybox", "sh", "-c", "echo early; echo later; echo last words; exit 1");

        (await s.OkAsync("logs", "gone")).OutLines.ShouldBe(["early", "later", "last words"]);
        (await s.OkAsync("logs", "--tail", "2", "gone")).OutLines.ShouldBe(["later", "last words"]);
    }

    [Fact]
    public async Task Logs_follow_prints_until_the_container_stops()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "slow", "busybox", "sh", "-c", "for i in 1 2 3; do echo tick$i; sleep 0.3; done; echo bye");

        var r = await s.OkAsync("logs", "-f", "slow");

        r.OutLines.ShouldBe(["tick1", "tick2", "tick3", "bye"], r.ToString());
        (await s.FieldAsync("slow", "status")).ShouldBe("Exited (0)");
    }

    [Fact]
    public async Task A_detached_container_that_ends_by_itself_is_shown_exited_and_holds_no_mount()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "brief", "busybox", "sh", "-c", "exit 4");

        await CliSandbox.WaitUntilAsync(async () => (await s.OkAsync("ps", "-q")).Out.Length == 0, "the container to end");

        (await s.OkAsync("ps", "-a")).OutLines.Single(l => l.EndsWith("brief", StringComparison.Ordinal)).ShouldContain("Exited (4)");
        CliSandbox.MountsUnder(s.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task Exec_returns_the_command_output_and_exit_code()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "web", "-e", "FROM_RUN=1", "busybox", "sleep", "1000");

        var r = await s.RunAsync("exec", "-e", "FROM_EXEC=2", "-w", "/etc", "web", "sh", "-c", "echo \"$FROM_EXEC $(pwd) $(cat passwd | cut -d: -f1)\"; exit 4");

        r.Exit.ShouldBe(4, r.ToString());
        r.OutLines.ShouldBe(["2 /etc root"], r.ToString());
        (await s.FieldAsync("web", "state")).ShouldBe("running");
    }

    [Fact]
    public async Task Exec_sees_the_container_filesystem_and_processes()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo marker > /tmp/made-by-run; sleep 1000");

        await CliSandbox.WaitUntilAsync(async () => (await s.RunAsync("exec", "web", "cat", "/tmp/made-by-run")).Out.Trim() == "marker",
            "the file the container wrote, seen by exec");
        // The container has its own pid namespace: its first process, PID 1 inside, is the one inspect names.
        var hostPid = await s.FieldAsync("web", "pid");
        (await s.OkAsync("exec", "web", "cat", "/proc/1/cmdline")).Out.ShouldBe(File.ReadAllText($"/proc/{hostPid}/cmdline"));
        hostPid.ShouldNotBe("1");
    }

    [Fact]
    public async Task Exec_in_a_stopped_container_is_refused()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.RunAsync("run", "--name", "gone", "busybox", "true");

        var r = await s.RunAsync("exec", "gone", "true");

        r.Exit.ShouldBe(104, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("not running");
    }

    [Fact]
    public async Task Stop_ends_a_running_container_with_sigterm()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "polite", "busybox", "sh", "-c", TrapsTerm);

        (await s.OkAsync("stop", "polite")).OutLines.ShouldBe(["polite"]);

        (await s.FieldAsync("polite", "state")).ShouldBe("exited");
        (await s.FieldAsync("polite", "exitcode")).ShouldBe("7");
        (await s.OkAsync("ps", "-q")).Out.ShouldBeEmpty();
        CliSandbox.MountsUnder(s.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task Stop_kills_a_container_that_ignores_sigterm()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "stubborn", "busybox", "sleep", "1000");

        await s.OkAsync("stop", "-t", "1", "stubborn");

        (await s.FieldAsync("stubborn", "status")).ShouldBe("Exited (137)");
    }

    [Fact]
    public async Task Kill_with_term_delivers_sigterm()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "target", "busybox", "sh", "-c", TrapsTerm);

        await s.OkAsync("kill", "-s", "TERM", "target");

        await CliSandbox.WaitUntilAsync(async () => await s.FieldAsync("target", "state") == "exited", "the container to exit after SIGTERM");
        (await s.FieldAsync("target", "exitcode")).ShouldBe("7");
    }

    [Fact]
    public async Task Kill_of_a_container_that_is_not_running_is_refused()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.RunAsync("run", "--name", "gone", "busybox", "true");

        var r = await s.RunAsync("kill", "gone");

        r.Exit.ShouldBe(104, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("not running");
    }

    [Fact]
    public async Task Start_runs_an_exited_container_again()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.RunAsync("run", "--name", "again", "busybox", "sh", "-c", "echo ran; exit 2");

        await s.OkAsync("start", "again");

        await CliSandbox.WaitUntilAsync(async () => (await s.OkAsync("logs", "again")).OutLines.Length == 2, "the second run's output");
        await CliSandbox.WaitUntilAsync(async () => await s.FieldAsync("again", "state") == "exited", "the second run to end");
        (await s.FieldAsync("again", "exitcode")).ShouldBe("2");
    }

    [Fact]
    public async Task Rm_of_a_running_container_needs_force_and_then_leaves_nothing()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "-d", "--name", "web", "busybox", "sleep", "1000");
        var pid = int.Parse(await s.FieldAsync("web", "pid"), System.Globalization.CultureInfo.InvariantCulture);

        var refused = await s.RunAsync("rm", "web");
        refused.Exit.ShouldBe(104, refused.ToString());
        refused.ErrorLines.ShouldHaveSingleItem().ShouldContain("rm -f");

        await s.OkAsync("rm", "-f", "web");
        (await s.OkAsync("ps", "-a", "-q")).Out.ShouldBeEmpty();
        Directory.Exists($"/proc/{pid}").ShouldBeFalse();
        CliSandbox.MountsUnder(s.Root).ShouldBeEmpty();
    }

    private static List<JsonElement> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
