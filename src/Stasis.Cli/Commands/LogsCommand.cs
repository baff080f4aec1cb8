using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>`stasis logs [-f]`.</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string>("container");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the container stops" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Prefix each line with its time" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines" };
        var cmd = new Command("logs", "Print a container's output") { name, follow, timestamps, tail };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var ts = pr.GetValue(timestamps);
            var lines = engine.ReadLogsAsync(pr.GetValue(name)!, false, ct);
            var n = pr.GetValue(tail);
            var backlog = new List<Containers.LogLine>();
            await foreach (var l in lines) backlog.Add(l);
            foreach (var l in n is { } k ? backlog.TakeLast(Math.Max(0, k)) : backlog) Print(l);
            if (!pr.GetValue(follow)) return 0;
            var skip = backlog.Count;
            await foreach (var l in engine.ReadLogsAsync(pr.GetValue(name)!, true, ct))
            {
                if (skip > 0) { skip--; continue; }
                Print(l);
            }
            return 0;

            void Print(Containers.LogLine l)
            {
                var w = l.Stream == "stderr" ? ctx.Err : ctx.Out;
                var text = ts ? $"{l.Time:yyyy-MM-ddTHH:mm:ss.fffZ} {l.Text}" : l.Text;
                if (l.Partial) w.Write(text); else w.WriteLine(text);
                w.Flush();
            }
        }));
        return cmd;
    }
}
