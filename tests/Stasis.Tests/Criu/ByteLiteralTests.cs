using System.Text;
using System.Text.RegularExpressions;
using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class ByteLiteralTests
{
    [Fact]
    public void Ignore_case_folds_exactly_what_the_invariant_regex_folds_over_latin1()
    {
        // Memory is read as Latin-1: for every ASCII character and every byte, the literal and Regex agree.
        for (var c = 1; c < 0x80; c++)
        {
            var regex = new Regex(Regex.Escape(((char)c).ToString()), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            var literal = ByteLiteral.IgnoreCase([(byte)c]);
            for (var b = 0; b < 0x100; b++)
                (literal.IndexIn([(byte)b]) == 0).ShouldBe(regex.IsMatch(((char)b).ToString()), $"char 0x{c:x2}, byte 0x{b:x2}");
        }
    }

    [Theory]
    [InlineData("x", false)]
    [InlineData("ab", false)]
    [InlineData("Hello", true)]
    [InlineData("k=1", true)]
    [InlineData("a", true)]
    [InlineData("0123456789abcdef0123456789abcdefXYZ", true)]
    [InlineData("= =", true)]
    public void Finds_the_first_occurrence_like_a_plain_scan(string literal, bool ignoreCase)
    {
        var needle = Encoding.ASCII.GetBytes(literal);
        var found = ignoreCase ? ByteLiteral.IgnoreCase(needle) : ByteLiteral.Exact(needle);
        var random = new Random(literal.Length);
        for (var round = 0; round < 300; round++)
        {
            var hay = new byte[random.Next(0, 200)];
            for (var i = 0; i < hay.Length; i++)
                hay[i] = (byte)(random.Next(4) == 0 ? random.Next(256) : needle[random.Next(needle.Length)] ^ (random.Next(3) == 0 ? 0x20 : 0));
            found.IndexIn(hay).ShouldBe(Naive(hay, needle, ignoreCase), $"round {round}");
        }
    }

    [Theory]
    [InlineData("r", false)]
    [InlineData("ready 1024 MiB", false)]
    [InlineData("ready 1024 MiB", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefXYZ", false)]
    public void Finds_a_lone_occurrence_at_every_position_of_long_haystacks(string literal, bool ignoreCase)
    {
        // The vector loop takes 64 positions a step (two 32-byte halves); the needle sits in either half, across
        // a step, in the scalar tail and at the very end, in memory that holds its first and last byte elsewhere.
        var needle = Encoding.ASCII.GetBytes(literal);
        var found = ignoreCase ? ByteLiteral.IgnoreCase(needle) : ByteLiteral.Exact(needle);
        foreach (var length in new[] { needle.Length, 63 + needle.Length, 64 + needle.Length, 200, 1000 })
        {
            var filler = new byte[length];
            for (var i = 0; i < length; i++)
                filler[i] = (byte)(i % 3 == 0 ? needle[0] : i % 3 == 1 ? needle[^1] : 0x01);
            found.IndexIn(filler).ShouldBe(Naive(filler, needle, ignoreCase), $"length {length}, no planted needle");
            for (var at = 0; at + needle.Length <= length; at++)
            {
                var hay = (byte[])filler.Clone();
                needle.CopyTo(hay, at);
                if (ignoreCase)
                    hay[at] ^= (byte)(char.IsAsciiLetter((char)hay[at]) ? 0x20 : 0);
                found.IndexIn(hay).ShouldBe(Naive(hay, needle, ignoreCase), $"length {length}, needle at {at}");
            }
        }
    }

    private static int Naive(byte[] hay, byte[] needle, bool ignoreCase)
    {
        for (var i = 0; i + needle.Length <= hay.Length; i++)
        {
            var ok = true;
            for (var k = 0; k < needle.Length && ok; k++)
                ok = ignoreCase ? char.ToLowerInvariant((char)hay[i + k]) == char.ToLowerInvariant((char)needle[k]) && hay[i + k] < 0x80
                    : hay[i + k] == needle[k];
            if (ok)
                return i;
        }
        return -1;
    }
}
