using System.CommandLine;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary><c>stasis checkpoint diff CONTAINER CP_A CP_B</c>: processes started or ended, memory grown or shrunk,
/// files opened or closed, sockets added or removed between two checkpoints.</summary>
internal static class CheckpointDiffCommand
{
    public static Command Create(CliContext ctx)
    {
        var container = new Argument<string>("container") { Description = "Container name or id" };
        var before = new Argument<string>("checkpoint-a") { Description = "The earlier checkpoint" };
        var after = new Argument<string>("checkpoint-b") { Description = "The later checkpoint" };
        var format = CheckpointInspectCommand.FormatOption();

        var cmd = new Command("diff", "Show what changed between two checkpoints of a container") { container, before, after, format };
        cmd.SetAction((parse, ct) => ctx.RunAsync(parse, ct, async engine =>
        {
            var a = parse.GetRequiredValue(before);
            var b = parse.GetRequiredValue(after);
            var result = await engine.DiffCheckpointsAsync(parse.GetRequiredValue(container), a, b, ct);
            if (parse.GetValue(format) == "json")
                await ctx.Out.WriteLineAsync(InspectionJson.Serialize(result));
            else
                RichConsole.For(ctx.Out).Write(CheckpointDiffView.Render(result, a, b));
            return 0;
        }));
        return cmd;
    }
}
