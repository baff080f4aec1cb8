using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class RegexPrefixTests
{
    [Theory]
    [InlineData(@"ready [0-9]+ MiB", false, "ready ")]
    [InlineData(@"key=\d+", false, "key=")]
    [InlineData(@"abc*", false, "ab")]
    [InlineData(@"abc+", false, "ab")]
    [InlineData(@"abc?d", false, "ab")]
    [InlineData(@"abc{2}", false, "ab")]
    [InlineData(@"a\.b\ c\tz(x|y)", false, "a.b c\tz")]
    [InlineData(@"\.+x", false, "")]
    [InlineData(@"ab(c|d)e", false, "ab")]
    [InlineData(@"ab(?:c|d)e", false, "ab")]
    [InlineData(@"ab|cd", false, "")]
    [InlineData(@"(ab)|cd", false, "")]
    [InlineData(@"^abc", false, "")]
    [InlineData(@"abc$", false, "")]
    [InlineData(@"\babc", false, "")]
    [InlineData(@"abc\b", false, "")]
    [InlineData(@"\Gabc", false, "")]
    [InlineData(@"abc(?=d)", false, "")]
    [InlineData(@"(?<=x)abc", false, "")]
    [InlineData(@"(?i)abc", false, "")]
    [InlineData(@"ab(?#c|d)", false, "")]
    [InlineData(@"ab[]|]", false, "")]
    [InlineData(@"ab[a-z-[aeiou]]", false, "")]
    [InlineData(@"ab[|]c", false, "ab")]
    [InlineData(@"\d+abc", false, "")]
    [InlineData(@"ab\x41", false, "ab")]
    [InlineData(@"ab\u0100c", false, "ab")]
    [InlineData("ab\u0100c", false, "ab")]
    [InlineData("abé", false, "abé")]
    [InlineData("abé", true, "ab")]
    [InlineData("Hello world", true, "Hello world")]
    public void Finds_only_a_literal_every_match_starts_with(string pattern, bool ignoreCase, string expected)
        => RegexPrefix.Extract(pattern, ignoreCase).ShouldBe(expected);
}
