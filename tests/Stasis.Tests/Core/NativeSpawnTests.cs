using Shouldly;
using Stasis.Util;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Every tool Stasis runs (runc, CRIU, conmon, CNI plugins) starts through posix_spawn: its output, exit
/// code, environment and stdin must be what the tool would get from a shell.</summary>
public sealed class NativeSpawnTests
{
    [Fact]
    public void Output_and_errors_are_captured_apart_with_the_exit_code()
    {
        var r = NativeSpawn.Run("sh", ["-c", "echo out; echo err >&2; exit 3"]);
        r.ExitCode.ShouldBe(3);
        r.StandardOutput.ShouldBe("out\n");
        r.StandardError.ShouldBe("err\n");
    }

    [Fact]
    public void A_child_that_writes_more_than_a_pipe_holds_on_both_streams_does_not_hang()
    {
        var r = NativeSpawn.Run("sh", ["-c", "head -c 300000 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2"]);
        r.ExitCode.ShouldBe(0);
        r.StandardOutput.Length.ShouldBe(300000);
        r.StandardError.Length.ShouldBe(300000);
    }

    [Fact]
    public void The_environment_is_inherited_with_overrides_and_stdin_is_empty()
    {
        var r = NativeSpawn.Run("sh", ["-c", "echo \"$STASIS_SPAWN_TEST:$PATH\"; cat; echo end"], new Dictionary<string, string> { ["STASIS_SPAWN_TEST"] = "yes" });
        r.StandardOutput.ShouldBe($"yes:{Environment.GetEnvironmentVariable("PATH")}\nend\n");
    }

    [Fact]
    public void A_child_ended_by_a_signal_reports_128_plus_the_signal_and_ignored_signals_are_not_inherited()
    {
        NativeSpawn.Run("sh", ["-c", "kill -TERM $$"]).ExitCode.ShouldBe(128 + 15);
        // The runtime ignores SIGPIPE; a child must start with it at its default, or `yes | head` would spin.
        // (glibc's two internal real-time signals, 32 and 33, are its own business and not looked at.)
        var ignored = Convert.ToUInt64(NativeSpawn.Run("sh", ["-c", "grep '^SigIgn' /proc/self/status"]).StandardOutput.Split('\t')[1].Trim(), 16);
        (ignored & 0x7fffffffUL).ShouldBe(0UL, "no standard signal is ignored in the child");
    }

    [Fact]
    public void A_program_that_does_not_exist_is_a_clear_error()
    {
        var e = Should.Throw<StasisException>(() => NativeSpawn.Run("stasis-no-such-tool", []));
        e.Message.ShouldContain("cannot run stasis-no-such-tool");
    }

    [Fact]
    public void Arguments_pass_through_unchanged()
    {
        NativeSpawn.Run("printf", ["%s|", "a b", "", "ü", "$HOME"]).StandardOutput.ShouldBe("a b||ü|$HOME|");
    }
}
