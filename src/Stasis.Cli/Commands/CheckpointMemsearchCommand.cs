using System.CommandLine;
using Stasis.Cli.Output;
using Stasis.Criu.Images;

namespace Stasis.Cli.Commands;

/// <summary><c>stasis checkpoint memsearch CONTAINER CHECKPOINT (--search TEXT | --regex RE)</c>: find text in the
/// dumped memory and show where, with a hexdump around it.</summary>
internal static class CheckpointMemsearchCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string?>("container") { Description = "Container name or id", Arity = ArgumentArity.ZeroOrOne };
        var checkpoint = new Argument<string?>("checkpoint") { Description = "Checkpoint name", Arity = ArgumentArity.ZeroOrOne };
        var archive = new Option<string?>("--archive") { Description = "Search a checkpoint archive (or an unpacked checkpoint folder) instead" };
        var pid = new Option<int?>("--pid", "-p") { Description = "Only this process (pid inside the checkpoint)" };
        var search = new Option<string?>("--search", "-s") { Description = "Text to find (UTF-8)" };
        var regex = new Option<string?>("--regex", "-r") { Description = "Regular expression to find (.NET syntax, over bytes read as Latin-1)" };
        var context = new Option<int>("--context", "-c") { Description = "Bytes of context around each match", DefaultValueFactory = _ => 32 };
        var max = new Option<int>("--max") { Description = "Stop after this many matches", DefaultValueFactory = _ => 1000 };
        var ignoreCase = new Option<bool>("--ignore-case", "-i") { Description = "Match letters regardless of case" };
        var format = CheckpointInspectCommand.FormatOption();

        var cmd = new Command("memsearch", "Find text in a checkpoint's dumped memory")
        {
            container, checkpoint, archive, pid, search, regex, context, max, ignoreCase, format,
        };
        // Synchronous (CliContext.Run): the async pipeline's generic instantiations are JIT-compiled at every start.
        cmd.SetAction(parse => ctx.Run(parse, (engine, ct) =>
        {
            var query = new MemorySearchQuery
            {
                Pid = parse.GetValue(pid),
                Text = parse.GetValue(search),
                Pattern = parse.GetValue(regex),
                Context = parse.GetValue(context),
                MaxMatches = parse.GetValue(max),
                IgnoreCase = parse.GetValue(ignoreCase),
            };
            if ((query.Text is null) == (query.Pattern is null))
                throw StasisException.Invalid("give exactly one of --search TEXT or --regex RE");
            var (_, task) = CheckpointTarget.Resolve(parse.GetValue(container), parse.GetValue(checkpoint), parse.GetValue(archive),
                (c, n) => Task.FromResult(engine.MemSearch(c, n, query, ct)),
                folder => Task.FromResult(Engine.MemSearchDirectory(folder, query, ct)),
                (file, read) => engine.ReadCheckpointArchiveAsync(file, read, ct));
            var result = CliContext.Wait(task);
            if (parse.GetValue(format) == "json")
                ctx.Out.WriteLine(InspectionJson.Serialize(result));
            else
                MemorySearchView.Write(ctx.Out, result);
            // grep's convention: 1 when nothing was found, so scripts can test for a hit.
            return result.Matches.Count > 0 ? 0 : 1;
        }));
        return cmd;
    }
}
