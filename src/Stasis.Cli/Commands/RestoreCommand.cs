using System.CommandLine;
using Stasis.Checkpoints;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis restore CONTAINER [--checkpoint CP] [--name NEW]`.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string>("container") { Description = "Container whose checkpoint to restore" };
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = "Checkpoint name (default: the newest)" };
        var name = new Option<string?>("--name", "-n") { Description = "Restore as a new container with this name (the original is untouched)" };
        var tcp = new Option<bool>("--tcp-established") { Description = "Restore established TCP connections (default: as checkpointed)" };
        var ip = new Option<string?>("--ip") { Description = "A copy's address in its network (default: the next free one)" };
        var publish = new Option<string[]>("--publish", "-p") { Description = "A copy's published ports HOSTPORT:CTRPORT[/tcp|/udp], replacing the original's (repeatable)" };
        var stats = new Option<bool>("--print-stats") { Description = "Print CRIU's figures and the time of each phase" };
        var cmd = new Command("restore", "Restore a container from a checkpoint, in place or as a copy")
        {
            container, checkpoint, name, tcp, ip, publish, stats,
        };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var r = await engine.RestoreAsync(pr.GetValue(container)!, new RestoreOptions
            {
                Checkpoint = pr.GetValue(checkpoint),
                Name = pr.GetValue(name),
                TcpEstablished = pr.GetValue(tcp) ? true : null,
                Ip = pr.GetValue(ip),
                Ports = pr.GetValue(publish) is { Length: > 0 } p ? p : null,
            }, ct);
            ctx.Out.WriteLine(r.Container.Id);
            if (pr.GetValue(stats)) StatsPrinter.PrintRestore(ctx.Out, r);
            return 0;
        }));
        return cmd;
    }
}
