using System.CommandLine;
using Stasis.Containers;

namespace Stasis.Cli.Commands;

/// <summary>`stasis run`: create + start; in the foreground it streams the output and returns the container's exit code.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var o = new CreateCommandOptions();
        var detach = new Option<bool>("--detach", "-d") { Description = "Run in the background and print the container id" };
        var rm = new Option<bool>("--rm") { Description = "Remove the container when it exits (foreground only)" };
        var cmd = new Command("run", "Run a command in a new container") { detach, rm };
        o.AddTo(cmd);
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            if (pr.GetValue(detach) && pr.GetValue(rm))
                throw new StasisException(StasisErrorCode.InvalidArgument, "--rm and --detach cannot be used together");
            var c = CliContext.Wait(engine.RunAsync(o.Read(pr), ct));
            if (pr.GetValue(detach))
            {
                ctx.Out.WriteLine(c.Id);
                return 0;
            }
            return CliContext.Wait(ForegroundAsync(ctx, engine, c, pr.GetValue(rm), ct));
        }));
        return cmd;
    }

    /// <summary>Streams the container's output until it ends (Ctrl+C detaches) and returns its exit code.</summary>
    private static async Task<int> ForegroundAsync(CliContext ctx, Engine engine, ContainerInfo c, bool rm, CancellationToken ct)
    {
        try
        {
            await foreach (var line in engine.ReadLogsAsync(c.Id, follow: true, ct).ConfigureAwait(false))
            {
                var w = line.Stream == "stderr" ? ctx.Err : ctx.Out;
                if (line.Partial) w.Write(line.Text); else w.WriteLine(line.Text);
            }
        }
        catch (OperationCanceledException)
        {
            ctx.Err.WriteLine($"detached; {c.Name} keeps running (stasis stop {c.Name})");
            return 0;
        }
        var final = await engine.InspectAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
        if (rm && final.State == ContainerState.Exited) await engine.RemoveAsync(c.Id, false, CancellationToken.None).ConfigureAwait(false);
        return final.ExitCode ?? 0;
    }
}
