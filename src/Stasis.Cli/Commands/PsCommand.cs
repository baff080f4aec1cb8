using System.CommandLine;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis ps`: running containers (all with -a).</summary>
internal static class PsCommand
{
    public static Command Create(CliContext ctx)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers, not only running ones" };
        var format = new Option<string?>("--format") { Description = "json for machine-readable output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only container ids" };
        var cmd = new Command("ps", "List containers") { all, format, quiet };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            var list = CliContext.Wait(engine.ListAsync(pr.GetValue(all), ct));
            if (pr.GetValue(format) is { } f)
            {
                if (f != "json") throw new StasisException(StasisErrorCode.InvalidArgument, $"unknown format '{f}' (json is supported)");
                ctx.Out.WriteLine(CliJson.Containers(list));
                return 0;
            }
            if (pr.GetValue(quiet))
            {
                foreach (var c in list) ctx.Out.WriteLine(Format.Id(c.Id));
                return 0;
            }
            var t = new TableWriter("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "CHECKPOINTS", "NAMES");
            foreach (var c in list)
            {
                var command = string.Join(' ', c.Command);
                if (command.Length > 30) command = command[..27] + "...";
                t.Add(Format.Id(c.Id), c.Image, command, Format.Ago(c.CreatedAt), c.Status, c.Checkpoints.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name);
            }
            t.Write(ctx.Out);
            return 0;
        }));
        return cmd;
    }
}
