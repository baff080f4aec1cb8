using Shouldly;
using Stasis.Criu;
using Stasis.Criu.Images;
using Stasis.Criu.Proto;
using Stasis.Tests.Core;
using Xunit;

namespace Stasis.Tests.Criu;

/// <summary>The stats files are decoded by hand (no Google.Protobuf on the checkpoint and restore paths); the
/// generated parser is the oracle, with every field of stats.proto set to a distinct value.</summary>
public sealed class CriuStatsReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Dump_figures_match_the_generated_parser()
    {
        var d = new dump_stats_entry
        {
            FreezingTime = 1, FrozenTime = 200_000, MemdumpTime = 3, MemwriteTime = 4, PagesScanned = 5_000_000_000,
            PagesSkippedParent = 6, PagesWritten = 7, IrmapResolve = 8, PagesLazy = 9, PagePipes = 10, PagePipeBufs = 11,
            ShpagesScanned = 12, ShpagesSkippedParent = 13, ShpagesWritten = 14,
        };
        var path = Path.Combine(_dir.Path, "stats-dump");
        ImageWriter.Write(path, CriuMagic.Stats, new stats_entry { Dump = d });

        CriuStatsReader.ReadDump(path).ShouldBe(new CriuDumpStats(d.FreezingTime, d.FrozenTime, d.MemdumpTime, d.MemwriteTime,
            d.PagesScanned, d.PagesSkippedParent, d.PagesWritten, d.PagesLazy));
        CriuStatsReader.ReadRestore(path).ShouldBeNull("a dump's stats have no restore part");
    }

    [Fact]
    public void Restore_figures_match_the_generated_parser()
    {
        var r = new restore_stats_entry { PagesCompared = 1, PagesSkippedCow = 2, ForkingTime = 3, RestoreTime = 45_000, PagesRestored = 262_144 };
        var path = Path.Combine(_dir.Path, "stats-restore");
        ImageWriter.Write(path, CriuMagic.Stats, new stats_entry { Restore = r });

        CriuStatsReader.ReadRestore(path).ShouldBe(new CriuRestoreStats(r.ForkingTime, r.RestoreTime, r.PagesRestored, r.PagesCompared, r.PagesSkippedCow));
        CriuStatsReader.ReadDump(path).ShouldBeNull();
    }

    [Fact]
    public void A_missing_file_has_no_figures_and_a_truncated_one_is_a_clear_error()
    {
        CriuStatsReader.ReadRestore(Path.Combine(_dir.Path, "absent")).ShouldBeNull();
        var path = Path.Combine(_dir.Path, "stats-dump");
        ImageWriter.Write(path, CriuMagic.Stats, new stats_entry { Dump = new dump_stats_entry { FrozenTime = 300_000, PagesWritten = 1 << 20 } });
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);
        Should.Throw<StasisException>(() => CriuStatsReader.ReadDump(path)).Message.ShouldContain("stats-dump");
    }
}
