using Stasis.Checkpoints;

namespace Stasis.Cli.Output;

/// <summary>--print-stats: CRIU's own figures plus the wall time of each phase.</summary>
internal static class StatsPrinter
{
    public static void PrintDump(TextWriter o, CheckpointResult r)
    {
        o.WriteLine("CRIU dump statistics:");
        if (r.Checkpoint.DumpStats is { } s)
        {
            o.WriteLine($"  freezing time      {Format.Us(s.FreezingTimeUs)}");
            o.WriteLine($"  frozen time        {Format.Us(s.FrozenTimeUs)}");
            o.WriteLine($"  memory dump time   {Format.Us(s.MemDumpTimeUs)}");
            o.WriteLine($"  memory write time  {Format.Us(s.MemWriteTimeUs)}");
            o.WriteLine($"  pages scanned      {s.PagesScanned}");
            o.WriteLine($"  pages written      {s.PagesWritten}");
        }
        else o.WriteLine("  (CRIU wrote no stats-dump)");
        Phases(o, r.Phases);
    }

    public static void PrintRestore(TextWriter o, RestoreResult r)
    {
        o.WriteLine("CRIU restore statistics:");
        if (r.Stats is { } s)
        {
            o.WriteLine($"  forking time       {Format.Us(s.ForkingTimeUs)}");
            o.WriteLine($"  restore time       {Format.Us(s.RestoreTimeUs)}");
            o.WriteLine($"  pages restored     {s.PagesRestored}");
        }
        else o.WriteLine("  (CRIU wrote no stats-restore)");
        Phases(o, r.Phases);
    }

    private static void Phases(TextWriter o, IReadOnlyList<PhaseTiming> phases)
    {
        o.WriteLine("Phases:");
        foreach (var p in phases) o.WriteLine($"  {p.Phase,-26} {Format.Ms(p.Duration)}");
    }
}
