using Spectre.Console;
using Spectre.Console.Rendering;
using Stasis.Criu.Images;

namespace Stasis.Cli.Output;

/// <summary>A diff as + / - lines grouped by what changed.</summary>
internal static class CheckpointDiffView
{
    public static IRenderable Render(CheckpointDiff d, string before, string after)
    {
        var rows = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(before)}[/] -> [bold]{Markup.Escape(after)}[/]") };
        if (d.IsEmpty)
        {
            rows.Add(new Markup("[grey]no differences in processes, memory, files or sockets[/]"));
            return new Rows(rows);
        }
        Section(rows, "Processes", d.ProcessesStarted.Select(p => Plus($"{p.Pid} {p.Command}"))
            .Concat(d.ProcessesEnded.Select(p => Minus($"{p.Pid} {p.Command}"))));
        Section(rows, "Memory", d.MemoryChanges.Select(m =>
            (m.DeltaBytes >= 0 ? "[green]~[/] " : "[red]~[/] ") +
            Markup.Escape($"{m.Pid} {m.Command}: {m.PagesBefore} -> {m.PagesAfter} pages ({(m.DeltaBytes >= 0 ? "+" : "-")}{Sizes.Bytes(Math.Abs(m.DeltaBytes))})")));
        Section(rows, "Files", d.FilesOpened.Select(f => Plus($"{f.Pid} {f.Command}: {CheckpointInspectionView.File(f.File)}"))
            .Concat(d.FilesClosed.Select(f => Minus($"{f.Pid} {f.Command}: {CheckpointInspectionView.File(f.File)}"))));
        Section(rows, "Sockets", d.SocketsAdded.Select(s => Plus(CheckpointInspectionView.Socket(s)))
            .Concat(d.SocketsRemoved.Select(s => Minus(CheckpointInspectionView.Socket(s)))));
        return new Rows(rows);
    }

    private static string Plus(string s) => "[green]+[/] " + Markup.Escape(s);
    private static string Minus(string s) => "[red]-[/] " + Markup.Escape(s);

    private static void Section(List<IRenderable> rows, string title, IEnumerable<string> lines)
    {
        var list = lines.ToList();
        if (list.Count == 0)
            return;
        rows.Add(new Markup($"[bold]{title}[/]"));
        rows.AddRange(list.Select(l => new Markup("  " + l)));
    }
}
