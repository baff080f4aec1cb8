using System.Buffers.Binary;
using Stasis.Criu.Images;

namespace Stasis.Criu;

/// <summary>Reads CRIU's stats-dump / stats-restore image files: two magic words, then one size-prefixed StatsEntry
/// (stats.proto: dump = 1, restore = 2). Decoded by hand with <see cref="ProtoFieldReader"/>: every checkpoint and
/// restore reads one, and the generated parser would load Google.Protobuf (~5 ms) for a dozen varints. The unit
/// tests hold this reader to the generated one.</summary>
internal static class CriuStatsReader
{
    public static CriuDumpStats? ReadDump(string path)
    {
        if (Entry(path) is not { } bytes || Field(bytes, path, 1) is not { } d) return null;
        var f = Varints(d, path, 14);
        return new CriuDumpStats(f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[9]);
    }

    public static CriuRestoreStats? ReadRestore(string path)
    {
        if (Entry(path) is not { } bytes || Field(bytes, path, 2) is not { } r) return null;
        var f = Varints(r, path, 5);
        // forking_time = 3, restore_time = 4, pages_restored = 5, pages_compared = 1, pages_skipped_cow = 2
        return new CriuRestoreStats(f[3], f[4], f[5], f[1], f[2]);
    }

    /// <summary>The varint fields 1..<paramref name="maxField"/> of a message, by field number (0 when absent);
    /// other fields are skipped.</summary>
    private static ulong[] Varints(byte[] message, string path, int maxField)
    {
        var values = new ulong[maxField + 1];
        var r = new ProtoFieldReader(message, path, 12);
        while (r.Next(out var field, out var wire))
        {
            if (wire == 0 && field <= maxField) values[field] = r.ReadVarint();
            else r.SkipField(wire);
        }
        return values;
    }

    /// <summary>The StatsEntry's bytes, or null when there is no file (or too little of one).</summary>
    private static byte[]? Entry(string path)
    {
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        // Layout: u32 service magic, u32 stats magic, u32 entry size, entry.
        const int header = 8;
        if (bytes.Length < header + 4) return null;
        var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(header));
        if (size > bytes.Length - header - 4)
            throw StasisException.BadArchive($"{path}: stats entry at offset {header} claims {size} bytes but the file has {bytes.Length - header - 4}");
        return bytes.AsSpan(header + 4, (int)size).ToArray();
    }

    /// <summary>The embedded message in field <paramref name="number"/> of the StatsEntry, or null.</summary>
    private static byte[]? Field(byte[] entry, string path, int number)
    {
        var r = new ProtoFieldReader(entry, path, 12);
        byte[]? found = null;
        while (r.Next(out var field, out var wire))
        {
            if (field == number && wire == 2) found = r.ReadLengthDelimited().ToArray();
            else r.SkipField(wire);
        }
        return found;
    }
}
