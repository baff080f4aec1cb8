using System.Text;
using System.Text.RegularExpressions;

namespace Stasis.Criu.Images;

/// <summary>The compiled form of a query: UTF-8 bytes for plain text, or a regex over Latin-1 characters, with the
/// literal its matches start with when there is one. Case-insensitive text is a regex of the escaped text.</summary>
internal sealed class MemorySearchPlan
{
    /// <summary>Below this much memory compiling the regex costs more than it saves.</summary>
    private const long CompileRegexAbove = 64L * 1024 * 1024;

    // No field of a System.Text.RegularExpressions value type (RegexOptions): a plain text search then never loads
    // that assembly, and the regex code lives in methods of its own for the same reason.
    private byte[]? _needle;
    private string _pattern = "";
    private bool _ignoreCase;
    private Regex? _regex;
    private ByteLiteral? _prefix;
    private int _overlap;

    public bool TextTooLong { get; private init; }

    public static MemorySearchPlan Create(MemorySearchQuery q, int chunkSize)
    {
        var hasText = !string.IsNullOrEmpty(q.Text);
        var hasPattern = !string.IsNullOrEmpty(q.Pattern);
        if (hasText == hasPattern)
            throw StasisException.Invalid("give exactly one of a search text or a regular expression");
        if (hasText && !q.IgnoreCase)
        {
            var needle = Encoding.UTF8.GetBytes(q.Text!);
            return new MemorySearchPlan { _needle = needle, TextTooLong = needle.Length - 1 >= chunkSize };
        }
        return CreateRegex(q, hasText, chunkSize);
    }

    private static MemorySearchPlan CreateRegex(MemorySearchQuery q, bool hasText, int chunkSize)
    {
        var plan = new MemorySearchPlan
        {
            _ignoreCase = q.IgnoreCase,
            _overlap = Math.Min(MemorySearch.RegexOverlap, chunkSize / 4),
        };
        if (hasText)
        {
            var bytes = Encoding.UTF8.GetBytes(q.Text!);
            plan._pattern = Regex.Escape(Encoding.Latin1.GetString(bytes));
            var ascii = bytes.AsSpan(0, bytes.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xff) is var n and >= 0 ? n : bytes.Length);
            plan._prefix = ascii.IsEmpty ? null : ByteLiteral.IgnoreCase(ascii);
        }
        else
        {
            plan._pattern = q.Pattern!;
            var prefix = RegexPrefix.Extract(plan._pattern, q.IgnoreCase);
            if (prefix.Length > 0)
            {
                // RegexPrefix keeps to chars up to 0xff; narrowed by hand, as Encoding.Latin1's encoder is JIT-compiled.
                var bytes = new byte[prefix.Length];
                for (var i = 0; i < bytes.Length; i++)
                    bytes[i] = (byte)prefix[i];
                plan._prefix = q.IgnoreCase ? ByteLiteral.IgnoreCase(bytes) : ByteLiteral.Exact(bytes);
            }
        }
        try
        {
            // Interpreted: with a prefix it only runs on small windows, and compiling costs tens of milliseconds.
            plan._regex = new Regex(plan._pattern, plan.Options);
        }
        catch (ArgumentException e)
        {
            throw StasisException.Invalid($"invalid regular expression: {e.Message}");
        }
        return plan;
    }

    private RegexOptions Options => RegexOptions.CultureInvariant | (_ignoreCase ? RegexOptions.IgnoreCase : 0);

    public MemoryScanner Scanner(long bytes) => _needle is not null ? new TextScanner(_needle) : CreateRegexScanner(bytes);

    private RegexScanner CreateRegexScanner(long bytes)
    {
        var regex = _prefix is null && bytes > CompileRegexAbove ? new Regex(_pattern, Options | RegexOptions.Compiled) : _regex!;
        return new RegexScanner(regex, _prefix, _overlap);
    }
}
