using System.CommandLine;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis inspect`: a container's full record, as JSON (the default) or one field via --format.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext ctx)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "json (default), or a field: id, name, state, status, pid, exitcode, image, rootfs, log, checkpoints",
        };
        var cmd = new Command("inspect", "Show containers' details") { names, format };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            var f = pr.GetValue(format)?.Trim().ToLowerInvariant() ?? "json";
            var infos = new List<Containers.ContainerInfo>();
            foreach (var n in pr.GetValue(names)!) infos.Add(CliContext.Wait(engine.InspectAsync(n, ct)));
            if (f == "json")
            {
                ctx.Out.WriteLine(infos.Count == 1 ? CliJson.Container(infos[0]) : CliJson.Containers(infos));
                return 0;
            }
            foreach (var c in infos)
            {
                ctx.Out.WriteLine(f switch
                {
                    "id" => c.Id,
                    "name" => c.Name,
                    "state" => c.State.ToString().ToLowerInvariant(),
                    "status" => c.Status,
                    "pid" => c.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "exitcode" => c.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    "image" => c.Image,
                    "rootfs" => c.Rootfs,
                    "log" => c.LogPath,
                    "checkpoints" => string.Join(' ', c.Checkpoints),
                    _ => throw new StasisException(StasisErrorCode.InvalidArgument, $"unknown --format '{f}'"),
                });
            }
            return 0;
        }));
        return cmd;
    }
}
