using System.Text;

namespace Stasis.Criu.Images;

/// <summary>Finds literal text every match of a .NET regex starts with, by a deliberately conservative reading of
/// the pattern: anything it does not fully understand (alternation at the top, anchors, word boundaries,
/// lookarounds, inline options, comments, nested classes) gives no prefix, and the search then scans everything.</summary>
internal static class RegexPrefix
{
    private const string Special = @"\^$.|?*+()[]{}";

    /// <summary>The prefix, or an empty string when none can be relied on. With <paramref name="ignoreCase"/> it
    /// stops at the first non-ASCII character (only ASCII case folding is done on bytes).</summary>
    public static string Extract(string pattern, bool ignoreCase)
    {
        if (!OnlySafeConstructs(pattern))
            return "";
        var prefix = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var start = i;
            char c;
            if (pattern[i] == '\\')
            {
                if (i + 1 >= pattern.Length || !TryEscapedLiteral(pattern[i + 1], out c))
                    break;
                i += 2;
            }
            else if (Special.Contains(pattern[i], StringComparison.Ordinal))
                break;
            else
                c = pattern[i++];
            // A quantifier applies to this character alone: it is not required (or not only once).
            if (i < pattern.Length && pattern[i] is '*' or '+' or '?' or '{')
            {
                i = start;
                break;
            }
            if (c > 0xff || (ignoreCase && c >= 0x80))
                break;
            prefix.Append(c);
        }
        return prefix.ToString();
    }

    /// <summary>True when the pattern has no construct that could make a match start elsewhere than at the literal
    /// or depend on text before it: no top-level '|', no anchors or boundaries, no group other than (…) and (?:…),
    /// no class nested in a class.</summary>
    private static bool OnlySafeConstructs(string p)
    {
        var depth = 0;
        var inClass = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\')
            {
                if (i + 1 >= p.Length)
                    return false;
                if (!inClass && p[i + 1] is 'b' or 'B' or 'A' or 'z' or 'Z' or 'G')
                    return false;
                i++;
                continue;
            }
            if (inClass)
            {
                if (c == '[')
                    return false;
                if (c == ']')
                    inClass = false;
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    // "[]…]" and "[^]…]" read ']' as a member; rather than follow that, give up.
                    var first = i + 1 < p.Length && p[i + 1] == '^' ? i + 2 : i + 1;
                    if (first < p.Length && p[first] == ']')
                        return false;
                    break;
                case '(':
                    if (i + 1 < p.Length && p[i + 1] == '?' && !(i + 2 < p.Length && p[i + 2] == ':'))
                        return false;
                    depth++;
                    break;
                case ')':
                    if (--depth < 0)
                        return false;
                    break;
                case '|' when depth == 0:
                case '^':
                case '$':
                    return false;
            }
        }
        return !inClass && depth == 0;
    }

    /// <summary>The character an escape stands for when it is one fixed character.</summary>
    private static bool TryEscapedLiteral(char e, out char c)
    {
        c = e switch
        {
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            'f' => '\f',
            'v' => '\v',
            'e' => '\u001b',
            'a' => '\u0007',
            _ => e,
        };
        // Other letters and digits are classes (\d, \w, \p…), code escapes (\x, \u, \c) or backreferences.
        return c != e || !char.IsAsciiLetterOrDigit(e);
    }
}
