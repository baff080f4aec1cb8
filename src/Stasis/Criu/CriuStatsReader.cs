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
        ulong freezing = 0, frozen = 0, memdump = 0, memwrite = 0, scanned = 0, skippedParent = 0, written = 0, lazy = 0;
        var r = new ProtoFieldReader(d, path, 12);
        while (r.Next(out var field, out var wire))
        {
            if (wire != 0)
            {
                r.SkipField(wire);
                continue;
            }
            var v = r.ReadVarint();
            switch (field)
            {
                case 1: freezing = v; break;
                case 2: frozen = v; break;
                case 3: memdump = v; break;
                case 4: memwrite = v; break;
                case 5: scanned = v; break;
                case 6: skippedParent = v; break;
                case 7: written = v; break;
                case 9: lazy = v; break;
            }
        }
        return new CriuDumpStats(freezing, frozen, memdump, memwrite, scanned, skippedParent, written, lazy);
    }

    public static CriuRestoreStats? ReadRestore(string path)
    {
        if (Entry(path) is not { } bytes || Field(bytes, path, 2) is not { } d) return null;
        ulong compared = 0, skippedCow = 0, forking = 0, restore = 0, restored = 0;
        var r = new ProtoFieldReader(d, path, 12);
        while (r.Next(out var field, out var wire))
        {
            if (wire != 0)
            {
                r.SkipField(wire);
                continue;
            }
            var v = r.ReadVarint();
            switch (field)
            {
                case 1: compared = v; break;
                case 2: skippedCow = v; break;
                case 3: forking = v; break;
                case 4: restore = v; break;
                case 5: restored = v; break;
            }
        }
        return new CriuRestoreStats(forking, restore, restored, compared, skippedCow);
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
