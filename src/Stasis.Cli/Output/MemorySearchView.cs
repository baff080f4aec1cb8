using Spectre.Console;
using Spectre.Console.Rendering;
using Stasis.Criu.Images;

namespace Stasis.Cli.Output;

/// <summary>Memory search hits: a heading per hit (pid, command, address) and its hexdump.</summary>
internal static class MemorySearchView
{
    public static IRenderable Render(MemorySearchResult r)
    {
        var rows = new List<IRenderable>();
        foreach (var m in r.Matches)
        {
            rows.Add(new Markup($"[bold]pid {m.Pid}[/] ({Markup.Escape(m.Command)}) at [bold]0x{m.Address:x}[/]: {Markup.Escape(Quote(m.Text))}"));
            rows.Add(new Text(m.Hexdump + "\n"));
        }
        var summary = r.Matches.Count == 0
            ? $"no match in {Sizes.Bytes(r.BytesSearched)} of dumped memory"
            : $"{r.Matches.Count} match{(r.Matches.Count == 1 ? "" : "es")} in {Sizes.Bytes(r.BytesSearched)} of dumped memory" +
              (r.Truncated ? " (stopped at the limit; there may be more)" : "");
        rows.Add(new Markup($"[grey]{Markup.Escape(summary)}[/]"));
        return new Rows(rows);
    }

    private static string Quote(string s) => "\"" + string.Concat(s.Select(c => c is >= ' ' and < (char)0x7f ? c.ToString() : $"\\x{(int)c:x2}")) + "\"";
}
