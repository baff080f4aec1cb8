using Shouldly;
using Stasis.Cli;
using Xunit;

namespace Stasis.Tests.Cli;

/// <summary>Scripts tell failures apart by exit code: 125 for usage, 100 + the error code otherwise.</summary>
public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(StasisErrorCode.InvalidArgument, 125)]
    [InlineData(StasisErrorCode.General, 101)]
    [InlineData(StasisErrorCode.NotFound, 103)]
    [InlineData(StasisErrorCode.Conflict, 104)]
    [InlineData(StasisErrorCode.Criu, 105)]
    [InlineData(StasisErrorCode.Runtime, 106)]
    public void Each_error_kind_has_its_exit_code(StasisErrorCode code, int exit)
    {
        ExitCodes.For(code).ShouldBe(exit);
    }

    [Fact]
    public void Every_error_kind_exits_non_zero_and_distinctly()
    {
        var codes = Enum.GetValues<StasisErrorCode>().Select(ExitCodes.For).ToList();
        codes.ShouldAllBe(c => c > 0 && c < 256);
        codes.Distinct().Count().ShouldBe(codes.Count);
        // 126/127 mean "cannot execute"/"not found" to shells, 128+ a signal: never used for engine errors.
        codes.ShouldAllBe(c => c < 126);
    }
}
