using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Stasis.Cli.Commands;

namespace Stasis.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, new CliContext(), CancellationToken.None);

    /// <summary>Parses and runs one command line. A usage error gives one "Error:" line (and where to find help)
    /// on the context's error writer and exit code 125. Not an async method, and synchronous actions (see
    /// CliContext.Run) are invoked on this thread: async plumbing costs JIT compilations at every start.</summary>
    internal static Task<int> RunAsync(string[] args, CliContext ctx, CancellationToken ct)
    {
        Stasis.Util.StartupTrace.Mark("main");
        var root = BuildRoot(ctx);
        var pr = root.Parse(ArgumentSplitter.Split(args));
        Stasis.Util.StartupTrace.Mark("parsed");
        if (pr.Errors.Count > 0)
        {
            // One clear line, like Podman, instead of the whole help text; a word the parser did not know
            // ("stasis chekpoint") says more than the "Required command was not provided." it causes.
            var error = pr.Errors.FirstOrDefault(e => pr.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)))
                ?? pr.Errors[0];
            ctx.Err.WriteLine($"Error: {error.Message}");
            ctx.Err.WriteLine($"See '{CommandPath(pr.CommandResult)} --help'.");
            return Task.FromResult(ExitCodes.Usage);
        }
        var config = new InvocationConfiguration { Output = ctx.Out, Error = ctx.Err };
        ctx.Cancellation = ct;
        return pr.Action is SynchronousCommandLineAction ? Task.FromResult(pr.Invoke(config)) : pr.InvokeAsync(config, ct);
    }

    /// <summary>"stasis checkpoint rm", not just "rm" (which would point at the help of `stasis rm`).</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as CommandResult)
            names.Add(r.Parent is CommandResult ? r.Command.Name : "stasis");
        names.Reverse();
        return string.Join(' ', names);
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
        root.Subcommands.Add(VolumeCommand.Create(ctx));
        root.Subcommands.Add(NetworkCommand.Create(ctx));
        root.Subcommands.Add(DiffCommand.Create(ctx));
        root.Subcommands.Add(ContainerCleanupCommand.Create(ctx));
        return root;
    }
}
