using System.Buffers.Binary;
using Google.Protobuf;
using Stasis.Criu.Images;

namespace Stasis.Tests.Criu;

/// <summary>Writes CRIU image files the way CRIU frames them, for tests.</summary>
internal static class ImageWriter
{
    /// <summary>Common magic + image magic (or the service magic for stats, or the bare magic for inventory).</summary>
    public static byte[] Frame(uint magic, IEnumerable<byte[]> entries, uint? head = CriuMagic.Common)
    {
        using var ms = new MemoryStream();
        Span<byte> u32 = stackalloc byte[4];
        if (head is { } h)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(u32, h);
            ms.Write(u32);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(u32, magic);
        ms.Write(u32);
        foreach (var e in entries)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)e.Length);
            ms.Write(u32);
            ms.Write(e);
        }
        return ms.ToArray();
    }

    public static void Write(string path, uint magic, params IMessage[] entries)
        => File.WriteAllBytes(path, Frame(magic, entries.Select(e => e.ToByteArray()),
            magic == CriuMagic.Inventory ? null : magic == CriuMagic.Stats ? CriuMagic.Service : CriuMagic.Common));

    /// <summary>A pagemap entry as CRIU 4 writes it: nr_pages in field 5, a 32-bit copy in field 2.</summary>
    public static byte[] PagemapEntry(ulong vaddr, ulong pages, PagemapFlags flags)
    {
        var b = new List<byte>();
        Field(b, 1, vaddr);
        Field(b, 2, pages > uint.MaxValue ? 0 : pages);
        Field(b, 4, (ulong)flags);
        Field(b, 5, pages);
        return [.. b];
    }

    /// <summary>A pagemap entry as CRIU before 3.x wrote it: in_parent instead of flags, no field 5.</summary>
    public static byte[] LegacyPagemapEntry(ulong vaddr, uint pages, bool inParent)
    {
        var b = new List<byte>();
        Field(b, 1, vaddr);
        Field(b, 2, pages);
        if (inParent)
            Field(b, 3, 1);
        return [.. b];
    }

    public static byte[] PagemapHead(uint pagesId)
    {
        var b = new List<byte>();
        Field(b, 1, pagesId);
        return [.. b];
    }

    public static void WritePagemap(string path, uint pagesId, params byte[][] entries)
        => File.WriteAllBytes(path, Frame(CriuMagic.Pagemap, entries.Prepend(PagemapHead(pagesId))));

    private static void Field(List<byte> b, int field, ulong value)
    {
        Varint(b, (ulong)(field << 3));
        Varint(b, value);
    }

    private static void Varint(List<byte> b, ulong v)
    {
        while (v >= 0x80)
        {
            b.Add((byte)(v | 0x80));
            v >>= 7;
        }
        b.Add((byte)v);
    }
}
