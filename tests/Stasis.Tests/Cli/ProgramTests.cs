using System.Text.Json;
using Shouldly;
using Stasis.Cli;
using Stasis.Tests.Core;
using Xunit;

namespace Stasis.Tests.Cli;

/// <summary>Usage mistakes get one clear "Error:" line and exit 125; engine errors their own line and code.
/// None of these needs root or a tool: they fail before anything would run.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(new[] { "restore", "x" }, "restore")]
    [InlineData(new[] { "--root", "/r", "checkpoint", "ls" }, "checkpoint")]
    [InlineData(new[] { "--root=/r", "--criu", "/c", "ps" }, "ps")]
    [InlineData(new[] { "--help" }, null)]
    [InlineData(new[] { "--root", "/r" }, null)]
    [InlineData(new[] { "frobnicate", "ps" }, null)]
    [InlineData(new[] { "--root" }, null)]
    public void Only_the_named_verb_is_built_and_anything_else_builds_the_whole_tree(string[] args, string? verb)
    {
        Program.VerbOf(args).ShouldBe(verb);
        var root = Program.BuildRoot(new CliContext(), args);
        root.Subcommands.Count.ShouldBe(verb is null ? 18 : 1);
    }

    [Fact]
    public async Task A_verbs_help_still_lists_its_own_options_when_only_that_verb_is_built()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("--root", _root.Path, "restore", "--help");
        exit.ShouldBe(0);
        stdout.ShouldContain("--checkpoint");
        stdout.ShouldContain("--import");
    }

    [Fact]
    public async Task An_address_for_an_import_is_refused_with_the_reason_before_the_archive_is_read()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "restore", "--import", "/nonexistent.tar", "--ip", "10.77.0.9");

        exit.ShouldBe(ExitCodes.For(StasisErrorCode.InvalidArgument));
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("--ip does not apply to --import");
    }

    [Fact]
    public async Task Unknown_verb_is_a_usage_error()
    {
        var (exit, stdout, err) = await InProcessCli.RunAsync("--root", _root.Path, "frobnicate");

        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("frobnicate");
        stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Bad_flag_names_the_flag_and_points_at_the_verbs_help()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "ps", "--bogus");

        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("--bogus");
        err.ShouldContain("See 'stasis ps --help'.");
    }

    [Fact]
    public async Task Help_hint_of_a_subcommand_names_the_whole_command()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "checkpoint", "rm");

        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem();
        err.ShouldContain("See 'stasis checkpoint rm --help'.");
    }

    [Fact]
    public async Task Missing_image_for_run_is_a_usage_error()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "run");
        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Detach_with_rm_is_refused_before_anything_runs()
    {
        var (exit, stdout, err) = await InProcessCli.RunAsync("--root", _root.Path, "run", "-d", "--rm", "busybox", "true");

        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("--rm and --detach");
        stdout.ShouldBeEmpty();
        Directory.Exists(Path.Combine(_root.Path, "containers")).ShouldBeFalse();
    }

    [Fact]
    public async Task Unknown_container_is_named_and_exits_not_found()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "inspect", "ghost");

        exit.ShouldBe(ExitCodes.For(StasisErrorCode.NotFound));
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldBe("Error: no such container: ghost");
    }

    [Theory]
    [InlineData("logs", "ghost")]
    [InlineData("stop", "ghost")]
    [InlineData("rm", "-f", "ghost")]
    [InlineData("checkpoint", "ghost")]
    [InlineData("checkpoint", "ls", "ghost")]
    [InlineData("restore", "ghost")]
    public async Task Every_verb_names_an_unknown_container(params string[] verb)
    {
        var (exit, _, err) = await InProcessCli.RunAsync(["--root", _root.Path, .. verb]);

        exit.ShouldNotBe(0);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("ghost");
    }

    [Fact]
    public async Task Unknown_signal_is_a_usage_error()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "kill", "-s", "BOGUS", "ghost");
        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("unknown signal 'BOGUS'");
    }

    [Fact]
    public async Task Negative_stop_time_is_a_usage_error()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "stop", "-t", "-1", "ghost");
        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("--time");
    }

    [Fact]
    public async Task Unknown_ps_format_is_a_usage_error()
    {
        var (exit, _, err) = await InProcessCli.RunAsync("--root", _root.Path, "ps", "--format", "xml");
        exit.ShouldBe(ExitCodes.Usage);
        InProcessCli.ErrorLines(err).ShouldHaveSingleItem().ShouldContain("xml");
    }

    [Fact]
    public async Task Empty_store_lists_nothing_as_json()
    {
        var (exit, stdout, err) = await InProcessCli.RunAsync("--root", _root.Path, "ps", "-a", "--format", "json");

        exit.ShouldBe(0, err);
        using var doc = JsonDocument.Parse(stdout);
        doc.RootElement.ValueKind.ShouldBe(JsonValueKind.Array);
        doc.RootElement.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Help_goes_to_standard_output_and_lists_the_verbs()
    {
        var (exit, stdout, _) = await InProcessCli.RunAsync("--help");

        exit.ShouldBe(0);
        foreach (var verb in new[] { "run", "checkpoint", "restore", "ps", "image" })
            stdout.ShouldContain(verb);
    }
}
