using Shouldly;
using Stasis.Containers;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>conmon's k8s-file log lines become what `stasis logs` prints.</summary>
public sealed class LogParserTests
{
    [Fact]
    public void Full_line_keeps_its_text_spaces_included()
    {
        var line = LogParser.Parse("2026-11-22T03:06:47.123456789+00:00 stdout F hello  world ")!;

        line.ShouldNotBeNull();
        line.Stream.ShouldBe("stdout");
        line.Text.ShouldBe("hello  world ");
        line.Partial.ShouldBeFalse();
        line.Time.UtcDateTime.ShouldBe(new DateTime(2026, 11, 22, 3, 6, 47, DateTimeKind.Utc), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Partial_line_is_marked_partial()
    {
        var line = LogParser.Parse("2026-11-22T03:06:47.000000001Z stderr P no newline yet")!;

        line.Stream.ShouldBe("stderr");
        line.Text.ShouldBe("no newline yet");
        line.Partial.ShouldBeTrue();
    }

    [Fact]
    public void Time_with_offset_is_read_as_that_instant()
    {
        var line = LogParser.Parse("2026-11-22T05:00:00.5+02:00 stdout F x")!;
        line.Time.ToUniversalTime().ShouldBe(new DateTimeOffset(2026, 11, 22, 3, 0, 0, 500, TimeSpan.Zero));
    }

    [Fact]
    public void Empty_output_line_has_empty_text()
    {
        var line = LogParser.Parse("2026-11-22T03:06:47Z stdout F")!;
        line.Text.ShouldBe("");
        line.Partial.ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("not-a-time stdout F text")]
    [InlineData("2026-11-22T03:06:47Z stdout")]
    public void Bad_lines_are_skipped(string text)
    {
        LogParser.Parse(text).ShouldBeNull();
    }
}
