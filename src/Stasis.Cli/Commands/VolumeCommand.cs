using System.CommandLine;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis volume create|ls|inspect|rm`.</summary>
internal static class VolumeCommand
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("volume", "Manage named volumes");

        var createName = new Argument<string>("name");
        var create = new Command("create", "Create a named volume") { createName };
        create.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            ctx.Out.WriteLine((await engine.CreateVolumeAsync(pr.GetValue(createName)!, ct)).Name);
            return 0;
        }));

        var list = new Command("ls", "List named volumes");
        list.Aliases.Add("list");
        list.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            var t = new TableWriter("VOLUME NAME", "CREATED", "USED BY", "MOUNTPOINT");
            foreach (var v in engine.ListVolumes())
                t.Add(v.Name, Format.Ago(v.Created), v.UsedBy.Count == 0 ? "-" : string.Join(',', v.UsedBy), v.Mountpoint);
            t.Write(ctx.Out);
            return Task.FromResult(0);
        }));

        var inspectName = new Argument<string>("name");
        var inspect = new Command("inspect", "Show a volume's details") { inspectName };
        inspect.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            var v = engine.InspectVolume(pr.GetValue(inspectName)!);
            ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(v, CliJsonContext.Default.VolumeInfo));
            return Task.FromResult(0);
        }));

        var rm = RemoveByNameCommand.Create(ctx, "name", "Remove named volumes and their data (refused while a container uses them)", (engine, n, ct) => engine.RemoveVolumeAsync(n, ct));

        cmd.Subcommands.Add(create);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(inspect);
        cmd.Subcommands.Add(rm);
        return cmd;
    }
}
