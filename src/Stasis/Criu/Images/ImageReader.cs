using System.Buffers.Binary;
using Google.Protobuf;

namespace Stasis.Criu.Images;

/// <summary>Walks the framing of one CRIU image held in memory: magic(s), then <c>u32 size + protobuf</c> entries.
/// Some images carry a raw blob after an entry (tcp-stream queues, pipe/fifo data, socket queues, bpf map data,
/// SysV IPC contents, ghost files); readers of those must <see cref="Skip"/> it. This reader is only used for
/// images without such blobs, so a stray blob shows up as a damaged entry rather than being misread.</summary>
internal ref struct ImageReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private int _pos;

    private ImageReader(ReadOnlySpan<byte> data, string file)
    {
        _data = data;
        _file = file;
    }

    /// <summary>Byte offset of the next unread byte.</summary>
    public readonly int Offset => _pos;

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads and checks the leading magic(s); throws BadArchive naming the file and offset on a mismatch.</summary>
    public static ImageReader Open(ReadOnlySpan<byte> data, string file, uint expectedMagic)
    {
        var r = new ImageReader(data, file);
        var magic = r.ReadU32("magic");
        if (magic is CriuMagic.Common or CriuMagic.Service)
            magic = r.ReadU32("image magic");
        if (magic != expectedMagic)
            throw Damaged(file, r._pos - 4,
                $"unexpected image magic {CriuMagic.Describe(magic)}, expected {CriuMagic.Describe(expectedMagic)}");
        return r;
    }

    /// <summary>Next entry's protobuf bytes; false at a clean end of file.</summary>
    public bool TryReadEntry(out ReadOnlySpan<byte> payload, out int entryOffset)
    {
        entryOffset = _pos;
        if (AtEnd)
        {
            payload = default;
            return false;
        }
        var size = ReadU32("entry size");
        if (size > (uint)(_data.Length - _pos))
            throw Damaged(_file, entryOffset, $"entry claims {size} bytes but only {_data.Length - _pos} remain (truncated image)");
        payload = _data.Slice(_pos, (int)size);
        _pos += (int)size;
        return true;
    }

    /// <summary>Next entry parsed with <paramref name="parser"/>; null at a clean end of file.</summary>
    public T? ReadEntry<T>(MessageParser<T> parser) where T : class, IMessage<T>
        => TryReadEntry(out var payload, out var at) ? Parse(parser, payload, _file, at) : null;

    /// <summary>Skips a raw blob that follows an entry.</summary>
    public void Skip(long bytes)
    {
        if (bytes < 0 || bytes > _data.Length - _pos)
            throw Damaged(_file, _pos, $"extra payload of {bytes} bytes runs past the end of the image");
        _pos += (int)bytes;
    }

    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, string file, long entryOffset) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Damaged(file, entryOffset, $"damaged {typeof(T).Name} entry: {e.Message}", e);
        }
    }

    public static StasisException Damaged(string file, long offset, string what, Exception? inner = null)
        => StasisException.BadArchive($"CRIU image {file}: {what} (at byte offset {offset})", inner);

    private uint ReadU32(string what)
    {
        if (_data.Length - _pos < 4)
            throw Damaged(_file, _pos, $"truncated image: {what} needs 4 bytes, {_data.Length - _pos} remain");
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_data[_pos..]);
        _pos += 4;
        return v;
    }
}
