using System.CommandLine;
using Stasis.Checkpoints;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis restore CONTAINER [--checkpoint CP] [--name NEW]`, or `stasis restore --import FILE|- [--name NEW]`.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Container whose checkpoint to restore (not with --import)" };
        var import = new Option<string?>("--import", "-i") { Description = "Create the container from a checkpoint archive: a file, or - for stdin" };
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "Checkpoint name (default: the newest)" };
        var name = new Option<string?>("--name", "-n") { Description = "Restore as a new container with this name (the original is untouched)" };
        var tcp = new Option<bool>("--tcp-established") { Description = "Restore established TCP connections (default: as checkpointed)" };
        var ip = new Option<string?>("--ip") { Description = "A copy's address in its network (default: the next free one)" };
        var publish = new Option<string[]>("--publish", "-p") { Description = "Published ports HOSTPORT:CTRPORT[/tcp|/udp] of a copy or an imported container, replacing the original's (repeatable)" };
        var stats = new Option<bool>("--print-stats") { Description = "Print CRIU's figures and the time of each phase" };
        var cmd = new Command("restore", "Restore a container from a checkpoint, in place or as a copy")
        {
            container, checkpoint, name, tcp, ip, publish, stats, import,
        };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            if (pr.GetValue(import) is { } archive)
            {
                if (pr.GetValue(container) is not null || pr.GetValue(checkpoint) is not null)
                    throw new StasisException(StasisErrorCode.InvalidArgument, "--import creates a new container: give no CONTAINER or --checkpoint with it");
                if (pr.GetValue(ip) is not null)
                    throw new StasisException(StasisErrorCode.InvalidArgument, "--ip does not apply to --import: the container takes its checkpoint's address when it kept TCP connections, else the next free one");
                var imported = CliContext.Wait(ArchiveProgressBar.RunAsync(ctx, "import", progress =>
                {
                    var importOptions = new ImportOptions
                    {
                        Name = pr.GetValue(name),
                        TcpEstablished = pr.GetValue(tcp) ? true : null,
                        Ports = pr.GetValue(publish) is { Length: > 0 } p ? p : null,
                        Progress = progress,
                    };
                    return archive == "-"
                        ? engine.ImportCheckpointAsync(Console.OpenStandardInput(), importOptions, ct)
                        : engine.ImportCheckpointAsync(archive, importOptions, ct);
                }));
                foreach (var w in imported.Warnings) ctx.Err.WriteLine($"Warning: {w}");
                ctx.Out.WriteLine(imported.Container.Id);
                if (pr.GetValue(stats)) ArchiveStatsPrinter.PrintImport(ctx.Out, imported);
                return 0;
            }
            var target = pr.GetValue(container)
                ?? throw new StasisException(StasisErrorCode.InvalidArgument, "restore needs a container, or --import FILE");
            var r = CliContext.Wait(engine.RestoreAsync(target, new RestoreOptions
            {
                Checkpoint = pr.GetValue(checkpoint),
                Name = pr.GetValue(name),
                TcpEstablished = pr.GetValue(tcp) ? true : null,
                Ip = pr.GetValue(ip),
                Ports = pr.GetValue(publish) is { Length: > 0 } p ? p : null,
            }, ct));
            ctx.Out.WriteLine(r.Container.Id);
            if (pr.GetValue(stats)) StatsPrinter.PrintRestore(ctx.Out, r);
            return 0;
        }));
        return cmd;
    }
}
