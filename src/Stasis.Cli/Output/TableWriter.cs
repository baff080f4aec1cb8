namespace Stasis.Cli.Output;

/// <summary>Plain aligned columns, like Podman's default table output (easy to read and to grep).</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Write(TextWriter output)
    {
        // Plain loops: LINQ's Max over int is JIT-compiled at every start (generic over a value type, another assembly).
        var widths = new int[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            widths[i] = headers[i].Length;
            foreach (var row in _rows) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        output.WriteLine(Line(headers, widths));
        foreach (var row in _rows) output.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
