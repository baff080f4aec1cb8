using Shouldly;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>Mistakes get one clear "Error:" line and a non-zero exit, and change nothing.</summary>
[Collection(CliCollection.Name)]
public sealed class CliErrorTests
{
    [Theory]
    [InlineData("inspect", "ghost")]
    [InlineData("logs", "ghost")]
    [InlineData("stop", "ghost")]
    [InlineData("kill", "ghost")]
    [InlineData("exec", "ghost", "true")]
    [InlineData("checkpoint", "ghost")]
    [InlineData("restore", "ghost")]
    public async Task Unknown_container_is_named_in_one_error_line(params string[] args)
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync(args);

        r.Exit.ShouldNotBe(0, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("ghost");
        r.Out.ShouldBeEmpty(r.ToString());
    }

    [Fact]
    public async Task Bad_flag_exits_125()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("ps", "--no-such-flag");

        r.Exit.ShouldBe(125, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("--no-such-flag");
    }

    [Fact]
    public async Task Detach_and_rm_together_are_refused_and_nothing_is_created()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "-d", "--rm", "busybox", "sleep", "100");

        r.Exit.ShouldBe(125, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("--rm and --detach cannot be used together");
        (await s.OkAsync("ps", "-a", "-q")).Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_image_says_so()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "alpine", "true");

        r.Exit.ShouldBe(103, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("no such image: alpine");
        (await s.OkAsync("ps", "-a", "-q")).Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Missing_command_in_the_image_fails_clearly_and_leaves_no_container()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("run", "busybox", "/no/such/program");

        r.Exit.ShouldNotBe(0, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("/no/such/program");
        (await s.OkAsync("ps", "-a", "-q")).Out.ShouldBeEmpty();
        CliSandbox.MountsUnder(s.Root).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_taken_name_is_refused()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "--name", "web", "busybox", "true");

        var r = await s.RunAsync("run", "--name", "web", "busybox", "true");

        r.Exit.ShouldBe(104, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem(r.ToString()).ShouldContain("'web' is already in use");
        (await s.OkAsync("ps", "-a", "-q")).OutLines.Length.ShouldBe(1);
    }
}
