using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>`stasis container cleanup ID [GENERATION]`: conmon's exit command (hidden from help).</summary>
internal static class ContainerCleanupCommand
{
    public static Command Create(CliContext ctx)
    {
        var id = new Argument<string>("id");
        var generation = new Argument<string?>("generation") { Arity = ArgumentArity.ZeroOrOne };
        var cleanup = new Command("cleanup", "Release an exited container's mount and namespace") { id, generation };
        cleanup.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            CliContext.Wait(engine.CleanupAsync(pr.GetValue(id)!, pr.GetValue(generation), ct));
            return 0;
        }));
        return new Command("container", "Internal container maintenance") { Hidden = true, Subcommands = { cleanup } };
    }
}
