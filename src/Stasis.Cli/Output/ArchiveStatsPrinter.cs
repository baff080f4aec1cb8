using Stasis.Checkpoints;

namespace Stasis.Cli.Output;

/// <summary>--print-stats of export and import: sizes, CRIU's figures, and the time of each phase.</summary>
internal static class ArchiveStatsPrinter
{
    public static void PrintExport(TextWriter o, ExportResult r)
    {
        o.WriteLine("Export:");
        o.WriteLine($"  checkpoint data    {Format.Size(r.RawBytes)}");
        o.WriteLine($"  archive            {Format.Size(r.ArchiveBytes)}");
        if (r.Checkpoint.DumpStats is { } s)
        {
            o.WriteLine($"  frozen time        {Format.Us(s.FrozenTimeUs)}");
            o.WriteLine($"  memory dump time   {Format.Us(s.MemDumpTimeUs)}");
            o.WriteLine($"  pages written      {s.PagesWritten}");
        }
        Phases(o, r.Phases);
    }

    public static void PrintImport(TextWriter o, ImportResult r)
    {
        o.WriteLine("Import:");
        o.WriteLine($"  compression        {r.Compression.ToString().ToLowerInvariant()}");
        if (r.Stats is { } s)
        {
            o.WriteLine($"  forking time       {Format.Us(s.ForkingTimeUs)}");
            o.WriteLine($"  restore time       {Format.Us(s.RestoreTimeUs)}");
            o.WriteLine($"  pages restored     {s.PagesRestored}");
        }
        Phases(o, r.Phases);
    }

    private static void Phases(TextWriter o, IReadOnlyList<PhaseTiming> phases)
    {
        o.WriteLine("Phases:");
        foreach (var p in phases) o.WriteLine($"  {p.Phase,-26} {Format.Ms(p.Duration)}");
    }
}
