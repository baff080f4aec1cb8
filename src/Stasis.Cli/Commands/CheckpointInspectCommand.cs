using System.CommandLine;
using Stasis.Cli.Output;
using Stasis.Criu.Images;

namespace Stasis.Cli.Commands;

/// <summary><c>stasis checkpoint inspect CONTAINER CHECKPOINT</c> or <c>--archive PATH</c>: what a checkpoint holds.</summary>
internal static class CheckpointInspectCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string?>("container") { Description = "Container name or id", Arity = ArgumentArity.ZeroOrOne };
        var checkpoint = new Argument<string?>("checkpoint") { Description = "Checkpoint name", Arity = ArgumentArity.ZeroOrOne };
        var archive = new Option<string?>("--archive") { Description = "Inspect a checkpoint archive (or an unpacked checkpoint folder) instead" };
        var format = FormatOption();
        var psTree = new Option<bool>("--ps-tree") { Description = "Show the process tree (always shown)" };
        var cmdline = new Option<bool>("--cmdline") { Description = "Show each process's command line" };
        var env = new Option<bool>("--env") { Description = "Show each process's environment" };
        var files = new Option<bool>("--files") { Description = "Show each process's open files (fd, path, position)" };
        var sockets = new Option<bool>("--sockets") { Description = "Show TCP, UDP and unix sockets" };
        var mounts = new Option<bool>("--mounts") { Description = "Show the mounts" };
        var memory = new Option<bool>("--memory") { Description = "Show each process's memory (resident and shared pages, mappings)" };
        var stats = new Option<bool>("--stats") { Description = "Show CRIU's dump and restore statistics" };
        var all = new Option<bool>("--all") { Description = "Show everything" };

        var cmd = new Command("inspect", "Show what a checkpoint holds: processes, files, sockets, mounts, memory, statistics")
        {
            container, checkpoint, archive, format, psTree, cmdline, env, files, sockets, mounts, memory, stats, all,
        };
        cmd.SetAction((parse, ct) => ctx.RunAsync(parse, ct, async engine =>
        {
            var every = parse.GetValue(all);
            var options = new InspectOptions
            {
                Cmdline = every || parse.GetValue(cmdline),
                Environment = every || parse.GetValue(env),
                Files = every || parse.GetValue(files),
                Sockets = every || parse.GetValue(sockets),
                Mounts = every || parse.GetValue(mounts),
                Memory = every || parse.GetValue(memory),
                Stats = every || parse.GetValue(stats),
            };
            var (title, task) = CheckpointTarget.Resolve(parse.GetValue(container), parse.GetValue(checkpoint), parse.GetValue(archive),
                (c, n) => engine.InspectCheckpointAsync(c, n, options, ct),
                folder => engine.InspectCheckpointDirectoryAsync(folder, options, ct),
                (file, read) => engine.ReadCheckpointArchiveAsync(file, read, ct));
            var result = await task;
            if (parse.GetValue(format) == "json")
                await ctx.Out.WriteLineAsync(InspectionJson.Serialize(result));
            else
                RichConsole.For(ctx.Out).Write(CheckpointInspectionView.Render(result, title));
            return 0;
        }));
        return cmd;
    }

    internal static Option<string> FormatOption()
    {
        var format = new Option<string>("--format") { Description = "Output format: tree or json", DefaultValueFactory = _ => "tree" };
        format.AcceptOnlyFromAmong("tree", "json");
        return format;
    }
}
