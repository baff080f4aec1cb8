using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>The `rm NAME…` verb of images, volumes and networks: removes each in turn and prints its name, stopping
/// at the first one the engine refuses.</summary>
internal static class RemoveByNameCommand
{
    public static Command Create(CliContext ctx, string argument, string description, Func<Engine, string, CancellationToken, Task> remove)
    {
        var names = new Argument<string[]>(argument) { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("rm", description) { names };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            foreach (var n in pr.GetValue(names)!)
            {
                await remove(engine, n, ct);
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }
}
