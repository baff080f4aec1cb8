using System.Buffers.Binary;
using Stasis.Criu.Proto;

namespace Stasis.Criu;

/// <summary>Reads CRIU's stats-dump / stats-restore image files: two magic words, then one size-prefixed StatsEntry.</summary>
internal static class CriuStatsReader
{
    public static CriuDumpStats? ReadDump(string path)
    {
        var entry = Read(path);
        if (entry?.Dump is not { } d) return null;
        return new CriuDumpStats(d.FreezingTime, d.FrozenTime, d.MemdumpTime, d.MemwriteTime,
            d.PagesScanned, d.PagesSkippedParent, d.PagesWritten, d.PagesLazy);
    }

    public static CriuRestoreStats? ReadRestore(string path)
    {
        var entry = Read(path);
        if (entry?.Restore is not { } r) return null;
        return new CriuRestoreStats(r.ForkingTime, r.RestoreTime, r.PagesRestored, r.PagesCompared, r.PagesSkippedCow);
    }

    private static stats_entry? Read(string path)
    {
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        // Layout: u32 service magic, u32 stats magic, u32 entry size, entry.
        const int header = 8;
        if (bytes.Length < header + 4) return null;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(header));
        if (size > bytes.Length - header - 4)
            throw StasisException.BadArchive($"{path}: stats entry at offset {header} claims {size} bytes but the file has {bytes.Length - header - 4}");
        return stats_entry.Parser.ParseFrom(bytes.AsSpan(header + 4, (int)size));
    }
}
