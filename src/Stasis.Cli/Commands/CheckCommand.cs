using System.CommandLine;
using System.Text.Json;
using Stasis.Cli.Output;

namespace Stasis.Cli.Commands;

/// <summary>`stasis check`: tools, CRIU features, and what will not work here.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var cmd = new Command("check", "Check CRIU, runc, conmon and the kernel features checkpointing needs") { json };
        cmd.SetAction((pr, ct) => ctx.RunAsync(pr, ct, async engine =>
        {
            var r = await engine.CheckAsync(ct);
            var o = ctx.Out;
            if (pr.GetValue(json))
            {
                o.WriteLine(JsonSerializer.Serialize(r, CliJsonContext.Default.CheckReport));
                return r.CanCheckpoint ? 0 : ExitCodes.For(StasisErrorCode.Unsupported);
            }
            o.WriteLine($"CRIU:    {r.CriuVersion ?? "missing"}  {r.CriuPath}");
            o.WriteLine($"runc:    {r.RuncVersion ?? "missing"}  {r.RuncPath}");
            o.WriteLine($"conmon:  {r.ConmonVersion ?? "missing"}  {r.ConmonPath}");
            o.WriteLine($"kernel:  {r.Kernel}");
            if (r.Features.Count > 0)
            {
                o.WriteLine("CRIU kernel features:");
                foreach (var f in r.Features)
                    o.WriteLine($"  [{(f.Available ? "yes" : " no")}] {f.Name,-22} {f.Meaning}");
            }
            foreach (var p in r.Problems) o.WriteLine($"note: {p}");
            foreach (var f in r.Fatal) o.WriteLine($"FATAL: {f}");
            o.WriteLine(r.CanCheckpoint ? "Checkpoint/restore: works." : "Checkpoint/restore: cannot work on this machine (see FATAL above).");
            return r.CanCheckpoint ? 0 : ExitCodes.For(StasisErrorCode.Unsupported);
        }));
        return cmd;
    }
}
