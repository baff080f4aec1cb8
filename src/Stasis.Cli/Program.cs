using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Stasis.Cli.Commands;

namespace Stasis.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        Stasis.Util.StartupWarmup.Start();
        return RunAsync(args, new CliContext(), CancellationToken.None);
    }

    /// <summary>Parses and runs one command line. A usage error gives one "Error:" line (and where to find help)
    /// on the context's error writer and exit code 125. Not an async method, and synchronous actions (see
    /// CliContext.Run) are invoked on this thread: async plumbing costs JIT compilations at every start.</summary>
    internal static Task<int> RunAsync(string[] args, CliContext ctx, CancellationToken ct)
    {
        Stasis.Util.StartupTrace.Mark("main");
        var split = ArgumentSplitter.Split(args);
        var root = BuildRoot(ctx, split);
        Stasis.Util.StartupTrace.Mark("command tree built");
        var pr = root.Parse(split);
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

    private static readonly (string Name, Func<CliContext, Command> Create)[] Verbs =
    [
        ("check", CheckCommand.Create), ("image", ImageCommand.Create), ("run", RunCommand.Create),
        ("create", CreateCommand.Create), ("start", LifecycleCommands.Start), ("stop", LifecycleCommands.Stop),
        ("kill", LifecycleCommands.Kill), ("rm", LifecycleCommands.Remove), ("ps", PsCommand.Create),
        ("inspect", InspectCommand.Create), ("logs", LogsCommand.Create), ("exec", ExecCommand.Create),
        ("checkpoint", CheckpointCommand.Create), ("restore", RestoreCommand.Create), ("volume", VolumeCommand.Create),
        ("network", NetworkCommand.Create), ("diff", DiffCommand.Create), ("container", ContainerCleanupCommand.Create),
    ];

    /// <summary>The whole command tree, or, when the command line names its verb, only that verb's branch: building
    /// all eighteen (their options are generic types) is ~10 ms of every start, and a parse needs only its own.</summary>
    internal static RootCommand BuildRoot(CliContext ctx, IReadOnlyList<string>? args = null)
    {
        var root = new RootCommand("Stasis: containers you can checkpoint, restore, copy and move")
        {
            ctx.Root, ctx.RunRoot, ctx.Criu,
        };
        var verb = args is null ? null : VerbOf(args);
        foreach (var (name, create) in Verbs)
            if (verb is null || verb == name) root.Subcommands.Add(create(ctx));
        return root;
    }

    /// <summary>The first word after the global options when it is a verb; null for anything else (help, a
    /// version request, a typo: the whole tree answers those).</summary>
    internal static string? VerbOf(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--root" or "--run-root" or "--criu")
            {
                i++;
                continue;
            }
            if (a.StartsWith("--root=", StringComparison.Ordinal) || a.StartsWith("--run-root=", StringComparison.Ordinal)
                || a.StartsWith("--criu=", StringComparison.Ordinal))
                continue;
            if (a.StartsWith('-')) return null;
            foreach (var (name, _) in Verbs)
                if (name == a) return a;
            return null;
        }
        return null;
    }
}
