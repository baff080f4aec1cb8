using Shouldly;
using Stasis.Runtime;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>conmon reports the container's PID, or why runc failed, through its sync pipe.</summary>
public sealed class ConmonSyncTests
{
    [Fact]
    public void Pid_is_taken_from_the_data_field()
    {
        ConmonLauncher.ParseSync("{\"data\": 4242}\n", "", restore: false).ShouldBe(4242);
    }

    [Fact]
    public void A_failure_message_becomes_a_runtime_error_naming_the_verb()
    {
        var e = Should.Throw<StasisException>(() => ConmonLauncher.ParseSync(
            "{\"data\": -1, \"message\": \"container_linux.go:380: starting container process caused: exec: \\\"nope\\\": executable file not found in $PATH\"}\n",
            "", restore: false));

        e.Code.ShouldBe(StasisErrorCode.Runtime);
        e.Message.ShouldStartWith("runc create failed: ");
        e.Message.ShouldContain("executable file not found");
    }

    [Fact]
    public void A_restore_failure_says_restore()
    {
        var e = Should.Throw<StasisException>(() =>
            ConmonLauncher.ParseSync("{\"data\": -1, \"message\": \"criu failed: type RESTORE errno 0\"}", "", restore: true));

        e.Message.ShouldBe("runc restore failed: criu failed: type RESTORE errno 0");
    }

    [Fact]
    public void Garbage_on_the_pipe_is_reported_rather_than_taken_for_a_pid()
    {
        var e = Should.Throw<StasisException>(() => ConmonLauncher.ParseSync("conmon: something odd\n", "", restore: false));

        e.Code.ShouldBe(StasisErrorCode.Runtime);
        e.Message.ShouldContain("something odd");
    }

    [Fact]
    public void Nothing_on_the_pipe_falls_back_to_what_conmon_printed()
    {
        var e = Should.Throw<StasisException>(() => ConmonLauncher.ParseSync("", "conmon: invalid option -- 'x'\n", restore: false));
        e.Message.ShouldContain("invalid option");

        Should.Throw<StasisException>(() => ConmonLauncher.ParseSync("", "", restore: false))
            .Message.ShouldContain("no process id");
    }

    [Fact]
    public void A_zero_pid_is_not_a_pid()
    {
        Should.Throw<StasisException>(() => ConmonLauncher.ParseSync("{\"data\": 0}\n", "", restore: false));
    }
}
