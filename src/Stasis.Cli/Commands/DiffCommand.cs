using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>`stasis diff CONTAINER`: A/C/D lines like `podman diff`.</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string>("container");
        var cmd = new Command("diff", "List files a container added (A), changed (C) or deleted (D) compared to its image") { name };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            foreach (var c in await engine.DiffAsync(pr.GetValue(name)!, ct)) ctx.Out.WriteLine($"{c.Kind} {c.Path}");
            return 0;
        }));
        return cmd;
    }
}
