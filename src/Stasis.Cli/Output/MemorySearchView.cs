using System.Text;
using Stasis.Criu.Images;

namespace Stasis.Cli.Output;

/// <summary>Memory search hits: a heading per hit (pid, command, address) and its hexdump. Written as plain lines
/// (bold and grey only on a terminal) rather than through Spectre, whose start-up cost a fast search would notice.</summary>
internal static class MemorySearchView
{
    public static void Write(TextWriter output, MemorySearchResult r)
    {
        var ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("NO_COLOR") is null or "" && Environment.GetEnvironmentVariable("TERM") is not "dumb";
        output.Write(Render(r, ansi));
    }

    public static string Render(MemorySearchResult r, bool ansi)
    {
        var bold = ansi ? "\u001b[1m" : "";
        var grey = ansi ? "\u001b[90m" : "";
        var reset = ansi ? "\u001b[0m" : "";
        var sb = new StringBuilder();
        foreach (var m in r.Matches)
        {
            sb.Append(bold).Append("pid ").Append(m.Pid).Append(reset).Append(" (").Append(Clean(m.Command)).Append(") at ")
                .Append(bold).Append("0x").Append(m.Address.ToString("x")).Append(reset).Append(": ").Append(Quote(m.Text)).Append('\n');
            sb.Append(m.Hexdump).Append("\n\n");
        }
        var summary = r.Matches.Count == 0
            ? $"no match in {Sizes.Bytes(r.BytesSearched)} of dumped memory"
            : $"{r.Matches.Count} match{(r.Matches.Count == 1 ? "" : "es")} in {Sizes.Bytes(r.BytesSearched)} of dumped memory" +
              (r.Truncated ? " (stopped at the limit; there may be more)" : "");
        sb.Append(grey).Append(summary).Append(reset).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) => "\"" + Clean(s) + "\"";

    /// <summary>Control and non-ASCII characters as \xNN, so memory cannot move the cursor or colour the terminal.</summary>
    private static string Clean(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is >= ' ' and < (char)0x7f)
                sb.Append(c);
            else
                sb.Append("\\x").Append(((int)c).ToString("x2"));
        }
        return sb.ToString();
    }
}
