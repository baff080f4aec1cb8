using System.CommandLine;
using Stasis.Cli.Commands;

namespace Stasis.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var ctx = new CliContext();
        var root = BuildRoot(ctx);
        var pr = root.Parse(ArgumentSplitter.Split(args));
        if (pr.Errors.Count > 0)
        {
            // One clear line, like Podman, instead of the whole help text.
            await Console.Error.WriteLineAsync($"Error: {pr.Errors[0].Message}");
            await Console.Error.WriteLineAsync($"See '{pr.CommandResult.Command.Name} --help'.".Replace("'Stasis.Cli ", "'stasis ", StringComparison.Ordinal));
            return ExitCodes.Usage;
        }
        return await pr.InvokeAsync();
    }

    internal static RootCommand BuildRoot(CliContext ctx)
    {
        var root = new RootCommand("Stasis: containers you can checkpoint, restore, copy and move")
        {
            ctx.Root, ctx.RunRoot, ctx.Criu,
        };
        root.Subcommands.Add(CheckCommand.Create(ctx));
        root.Subcommands.Add(ImageCommand.Create(ctx));
        root.Subcommands.Add(RunCommand.Create(ctx));
        root.Subcommands.Add(CreateCommand.Create(ctx));
        root.Subcommands.Add(LifecycleCommands.Start(ctx));
        root.Subcommands.Add(LifecycleCommands.Stop(ctx));
        root.Subcommands.Add(LifecycleCommands.Kill(ctx));
        root.Subcommands.Add(LifecycleCommands.Remove(ctx));
        root.Subcommands.Add(PsCommand.Create(ctx));
        root.Subcommands.Add(InspectCommand.Create(ctx));
        root.Subcommands.Add(LogsCommand.Create(ctx));
        root.Subcommands.Add(ExecCommand.Create(ctx));
        root.Subcommands.Add(CheckpointCommand.Create(ctx));
        root.Subcommands.Add(RestoreCommand.Create(ctx));
        root.Subcommands.Add(ContainerCleanupCommand.Create(ctx));
        return root;
    }
}
