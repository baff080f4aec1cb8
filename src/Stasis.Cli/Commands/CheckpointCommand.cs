using System.CommandLine;
using Stasis.Checkpoints;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis checkpoint CONTAINER [--export FILE|-] …` and its subcommands (ls, rm, export, and the inspection verbs).</summary>
internal static class CheckpointCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Container to checkpoint" };
        var name = new Option<string?>("--name", "-n") { Description = "Checkpoint name (default: cp-YYYYMMDD-HHMMSS)" };
        var leave = new Option<bool>("--leave-running", "-R") { Description = "Keep the container running after the checkpoint" };
        var tcp = new Option<bool>("--tcp-established") { Description = "Checkpoint established TCP connections" };
        var locks = new Option<bool>("--file-locks") { Description = "Checkpoint file locks" };
        var stats = new Option<bool>("--print-stats") { Description = "Print CRIU's figures and the time of each phase" };
        var ignoreRootfs = new Option<bool>("--ignore-rootfs") { Description = "Do not save the container's file-system changes" };
        var ignoreVolumes = new Option<bool>("--ignore-volumes") { Description = "Do not save the content of named volumes" };
        var export = new Option<string?>("--export", "-e") { Description = "Also write the checkpoint as a portable archive: a file, or - for stdout" };
        var compress = ArchiveOptions.Compress();
        var sync = ArchiveOptions.Sync();
        var cmd = new Command("checkpoint", "Checkpoint a running container into a named checkpoint")
        {
            container, name, leave, tcp, locks, stats, ignoreRootfs, ignoreVolumes, export, compress, sync,
        };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            var target = pr.GetValue(container)
                ?? throw new StasisException(StasisErrorCode.InvalidArgument, "checkpoint needs a container (or a subcommand: ls, rm, inspect, memsearch, diff)");
            var options = new CheckpointOptions
            {
                Name = pr.GetValue(name),
                LeaveRunning = pr.GetValue(leave),
                TcpEstablished = pr.GetValue(tcp),
                FileLocks = pr.GetValue(locks),
                IgnoreRootfs = pr.GetValue(ignoreRootfs),
                IgnoreVolumes = pr.GetValue(ignoreVolumes),
            };
            if (pr.GetValue(export) is { } file)
            {
                var exported = CliContext.Wait(ArchiveProgressBar.RunAsync(ctx, "checkpoint and export", progress =>
                {
                    var exportOptions = new ExportOptions { Compression = ArchiveOptions.Kind(pr.GetValue(compress)!), Progress = progress, Sync = pr.GetValue(sync) };
                    return file == "-"
                        ? engine.CheckpointAndExportAsync(target, options, Console.OpenStandardOutput(), exportOptions, ct)
                        : engine.CheckpointAndExportAsync(target, options, file, exportOptions, ct);
                }));
                if (file != "-") ctx.Out.WriteLine(exported.Checkpoint.Name);
                if (pr.GetValue(stats)) ArchiveStatsPrinter.PrintExport(ArchiveOptions.InfoWriter(ctx, file), exported);
                return 0;
            }
            var r = CliContext.Wait(engine.CheckpointAsync(target, options, ct));
            ctx.Out.WriteLine(r.Checkpoint.Name);
            if (pr.GetValue(stats)) StatsPrinter.PrintDump(ctx.Out, r);
            return 0;
        }));
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Remove(ctx));
        cmd.Subcommands.Add(CheckpointInspectCommand.Create(ctx));
        cmd.Subcommands.Add(CheckpointMemsearchCommand.Create(ctx));
        cmd.Subcommands.Add(CheckpointDiffCommand.Create(ctx));
        cmd.Subcommands.Add(CheckpointExportCommand.Create(ctx));
        return cmd;
    }

    private static Command List(CliContext ctx)
    {
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Only this container's checkpoints" };
        var format = new Option<string?>("--format") { Description = "json for machine-readable output" };
        var cmd = new Command("ls", "List checkpoints") { container, format };
        cmd.Aliases.Add("list");
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, engine =>
        {
            var list = pr.GetValue(container) is { } c ? engine.ListCheckpoints(c) : engine.ListAllCheckpoints();
            if (pr.GetValue(format) == "json")
            {
                ctx.Out.WriteLine(CliJson.Checkpoints(list));
                return Task.FromResult(0);
            }
            var t = new TableWriter("CONTAINER", "CHECKPOINT", "CREATED", "IMAGE", "SIZE", "PROCESSES", "MEMORY PAGES", "MEMORY", "ROOTFS DIFF", "OPTIONS");
            foreach (var cp in list)
            {
                var opts = string.Join(',', new[]
                {
                    cp.LeaveRunning ? "leave-running" : null, cp.TcpEstablished ? "tcp-established" : null, cp.FileLocks ? "file-locks" : null,
                }.OfType<string>());
                // Read from the images themselves (pstree and pagemaps only), like checkpointctl show.
                Criu.Images.CheckpointSummary? summary = null;
                try { summary = engine.SummarizeCheckpoint(cp.Path!); }
                catch (StasisException) { }
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                t.Add(cp.ContainerName, cp.Name, Format.Ago(cp.Created), cp.Image, Format.Size(cp.ImagesSize + cp.RootfsDiffSize),
                    summary?.Processes.ToString(inv) ?? "?", summary?.MemoryPages.ToString(inv) ?? "?",
                    summary is null ? "?" : Format.Size((long)summary.MemoryBytes),
                    Format.Size(cp.RootfsDiffSize), opts.Length == 0 ? "-" : opts);
            }
            t.Write(ctx.Out);
            return Task.FromResult(0);
        }));
        return cmd;
    }

    private static Command Remove(CliContext ctx)
    {
        var container = new Argument<string>("container");
        var names = new Argument<string[]>("checkpoint") { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("rm", "Remove checkpoints of a container") { container, names };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            foreach (var n in pr.GetValue(names)!)
            {
                await engine.RemoveCheckpointAsync(pr.GetValue(container)!, n, ct);
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }
}
