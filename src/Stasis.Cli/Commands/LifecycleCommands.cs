using System.CommandLine;

namespace Stasis.Cli.Commands;

/// <summary>`start`, `stop`, `kill`, `rm`: verbs that act on one or more containers by name or id.</summary>
internal static class LifecycleCommands
{
    public static Command Start(CliContext ctx)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("start", "Start created or exited containers") { names };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            foreach (var n in pr.GetValue(names)!)
            {
                CliContext.Wait(engine.StartAsync(n, ct));
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }

    public static Command Stop(CliContext ctx)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var time = new Option<int>("--time", "-t") { Description = "Seconds to wait after SIGTERM before SIGKILL", DefaultValueFactory = _ => 10 };
        var cmd = new Command("stop", "Stop running containers (SIGTERM, then SIGKILL)") { names, time };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            var t = pr.GetValue(time);
            if (t < 0) throw new StasisException(StasisErrorCode.InvalidArgument, "--time must not be negative");
            foreach (var n in pr.GetValue(names)!)
            {
                CliContext.Wait(engine.StopAsync(n, TimeSpan.FromSeconds(t), ct));
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }

    public static Command Kill(CliContext ctx)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var signal = new Option<string>("--signal", "-s") { Description = "Signal to send (name or number)", DefaultValueFactory = _ => "KILL" };
        var cmd = new Command("kill", "Send a signal to containers' main process") { names, signal };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            foreach (var n in pr.GetValue(names)!)
            {
                CliContext.Wait(engine.KillAsync(n, pr.GetValue(signal)!, ct));
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }

    public static Command Remove(CliContext ctx)
    {
        var names = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Stop (SIGKILL) running containers first" };
        var cmd = new Command("rm", "Remove containers and their checkpoints") { names, force };
        cmd.SetAction(pr => ctx.Run(pr, (engine, ct) =>
        {
            foreach (var n in pr.GetValue(names)!)
            {
                CliContext.Wait(engine.RemoveAsync(n, pr.GetValue(force), ct));
                ctx.Out.WriteLine(n);
            }
            return 0;
        }));
        return cmd;
    }
}
