using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>`stasis create`: prepare a container without starting it.</summary>
internal static class CreateCommand
{
    public static Command Create(CliContext ctx)
    {
        var o = new CreateCommandOptions();
        var cmd = new Command("create", "Create a container without starting it");
        o.AddTo(cmd);
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            var c = CliContext.Wait(engine.CreateAsync(o.Read(pr), ct));
            ctx.Out.WriteLine(c.Id);
            return 0;
        }));
        return cmd;
    }
}
