using Shouldly;
using Stasis.Containers;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>`stasis kill -s` takes 9, KILL, SIGKILL or sigterm alike.</summary>
public sealed class SignalsTests
{
    [Theory]
    [InlineData("9", 9)]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("term", 15)]
    [InlineData("sigterm", 15)]
    [InlineData(" HUP ", 1)]
    [InlineData("USR1", 10)]
    [InlineData("64", 64)]
    public void Names_and_numbers_are_accepted(string signal, int number)
    {
        Signals.Parse(signal).ShouldBe(number);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-9")]
    [InlineData("BOGUS")]
    [InlineData("SIG")]
    [InlineData("")]
    public void Unknown_signals_are_refused_clearly(string signal)
    {
        var e = Should.Throw<StasisException>(() => Signals.Parse(signal));
        e.Code.ShouldBe(StasisErrorCode.InvalidArgument);
        e.Message.ShouldContain($"unknown signal '{signal}'");
    }
}
