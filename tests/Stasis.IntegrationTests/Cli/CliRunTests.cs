using Shouldly;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>`stasis run` in the foreground behaves like the command itself: its output, its exit code.</summary>
[Collection(CliCollection.Name)]
public sealed class CliRunTests
{
    [Fact]
    public async Task Foreground_run_prints_the_output_and_returns_the_exit_code()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "--name", "once", "busybox", "sh", "-c", "echo hi; exit 3");

        r.Exit.ShouldBe(3, r.ToString());
        r.OutLines.ShouldBe(["hi"], r.ToString());
        (await s.FieldAsync("once", "status")).ShouldBe("Exited (3)");
    }

    [Fact]
    public async Task Foreground_run_keeps_stdout_and_stderr_apart()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "--rm", "busybox", "sh", "-c", "echo to-out; echo to-err >&2");

        r.Exit.ShouldBe(0, r.ToString());
        r.OutLines.ShouldBe(["to-out"], r.ToString());
        r.Err.ShouldContain("to-err");
        r.Out.ShouldNotContain("to-err");
    }

    [Fact]
    public async Task Foreground_run_shows_every_line_of_a_quick_command()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "--rm", "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done");

        r.Exit.ShouldBe(0, r.ToString());
        r.OutLines.ShouldBe(["line1", "line2", "line3", "line4", "line5"], r.ToString());
    }

    [Fact]
    public async Task Rm_removes_the_container_once_it_exits()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "--rm", "--name", "temp", "busybox", "sh", "-c", "exit 5");

        r.Exit.ShouldBe(5, r.ToString());
        (await s.OkAsync("ps", "-a", "-q")).Out.ShouldBeEmpty();
        CliSandbox.MountsUnder(s.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task Environment_and_working_directory_reach_the_process()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "--rm", "-e", "GREETING=hello", "-e", "GREETING=bye", "--env", "OTHER=x y",
            "-w", "/tmp", "busybox", "sh", "-c", "echo \"$GREETING|$OTHER|$(pwd)|$PATH\"");

        r.Exit.ShouldBe(0, r.ToString());
        var fields = r.OutLines.ShouldHaveSingleItem(r.ToString()).Split('|');
        fields[0].ShouldBe("bye");   // the last -e for a key wins
        fields[1].ShouldBe("x y");
        fields[2].ShouldBe("/tmp");
        fields[3].ShouldContain("/bin");
    }

    [Fact]
    public async Task Options_after_the_image_go_to_the_command()
    {
        await using var s = await CliSandbox.CreateAsync();

        // "-n" would be an unknown stasis flag; after the image it is echo's.
        var r = await s.RunAsync("run", "--rm", "busybox", "echo", "-n", "--name", "x");

        r.Exit.ShouldBe(0, r.ToString());
        r.Out.ShouldBe("--name x");
    }

    [Fact]
    public async Task Detached_run_prints_the_id_and_keeps_running()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.OkAsync("run", "-d", "--name", "bg", "busybox", "sleep", "1000");

        var id = r.OutLines.ShouldHaveSingleItem(r.ToString());
        id.ShouldMatch("^[0-9a-f]{64}$");
        (await s.FieldAsync("bg", "id")).ShouldBe(id);
        (await s.FieldAsync("bg", "state")).ShouldBe("running");
        (await s.FieldAsync(id[..12], "name")).ShouldBe("bg");
    }
}
