using System.CommandLine;
using Stasis.Containers;

namespace Stasis.Cli.Commands;

/// <summary>`stasis exec [-i] [-t] CONTAINER CMD…`: returns the command's exit code.</summary>
internal static class ExecCommand
{
    public static Command Create(CliContext ctx)
    {
        var name = new Argument<string>("container");
        var command = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep stdin open" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a terminal" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable KEY=VALUE (repeatable)" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var cmd = new Command("exec", "Run a command in a running container") { name, command, interactive, tty, env, workdir };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            if (pr.GetValue(tty) && Console.IsInputRedirected)
                throw new StasisException(StasisErrorCode.InvalidArgument, "--tty needs a terminal on stdin");
            var r = await engine.ExecAsync(pr.GetValue(name)!, new ExecOptions
            {
                Command = pr.GetValue(command)!,
                Interactive = pr.GetValue(interactive),
                Tty = pr.GetValue(tty),
                Env = pr.GetValue(env) ?? [],
                WorkingDir = pr.GetValue(workdir),
            }, ct);
            return r.ExitCode;
        }));
        return cmd;
    }
}
