using System.CommandLine;
using Stasis.Checkpoints;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis checkpoint export CONTAINER CHECKPOINT -o FILE|-`: an existing named checkpoint as one archive.</summary>
internal static class CheckpointExportCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string>("container") { Description = "Container name or id" };
        var checkpoint = new Argument<string>("checkpoint") { Description = "Checkpoint name" };
        var output = new Option<string>("--output", "-o") { Description = "Archive file, or - for stdout", Required = true };
        var compress = ArchiveOptions.Compress();
        var sync = ArchiveOptions.Sync();
        var stats = new Option<bool>("--print-stats") { Description = "Print sizes and the time of each phase" };
        var cmd = new Command("export", "Write a named checkpoint as a portable archive (Podman's layout plus stasis.manifest)")
        {
            container, checkpoint, output, compress, sync, stats,
        };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var target = pr.GetValue(output)!;
            var r = await ArchiveProgressBar.RunAsync(ctx, "export", progress =>
            {
                var options = new ExportOptions { Compression = ArchiveOptions.Kind(pr.GetValue(compress)!), Progress = progress, Sync = pr.GetValue(sync) };
                return target == "-"
                    ? engine.ExportCheckpointAsync(pr.GetValue(container)!, pr.GetValue(checkpoint)!, Console.OpenStandardOutput(), options, ct)
                    : engine.ExportCheckpointAsync(pr.GetValue(container)!, pr.GetValue(checkpoint)!, target, options, ct);
            });
            if (target != "-") ctx.Out.WriteLine(target);
            if (pr.GetValue(stats)) ArchiveStatsPrinter.PrintExport(ArchiveOptions.InfoWriter(ctx, target), r);
            return 0;
        }));
        return cmd;
    }
}
