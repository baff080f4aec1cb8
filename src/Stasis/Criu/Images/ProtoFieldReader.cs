namespace Stasis.Criu.Images;

/// <summary>A minimal protobuf wire reader for the few messages we decode by hand (pagemap entries, and the pids and
/// command names a memory search needs).</summary>
internal ref struct ProtoFieldReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private readonly long _base;
    private int _pos;

    public ProtoFieldReader(ReadOnlySpan<byte> data, string file, long entryOffset)
    {
        _data = data;
        _file = file;
        _base = entryOffset;
    }

    public bool Next(out int field, out int wireType)
    {
        if (_pos >= _data.Length)
        {
            field = wireType = 0;
            return false;
        }
        var key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (field == 0)
            throw ImageReader.Damaged(_file, _base, "damaged protobuf entry: field number 0");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong v = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
                throw ImageReader.Damaged(_file, _base, "damaged protobuf entry: truncated varint");
            var b = _data[_pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return v;
        }
        throw ImageReader.Damaged(_file, _base, "damaged protobuf entry: varint too long");
    }

    /// <summary>The payload of a length-delimited field (string, bytes, embedded message).</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
            throw ImageReader.Damaged(_file, _base, "damaged protobuf entry: field runs past the entry");
        var payload = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return payload;
    }

    public void SkipField(int wireType)
    {
        long skip = wireType switch
        {
            0 => -1,
            1 => 8,
            2 => (long)ReadVarint(),
            5 => 4,
            _ => throw ImageReader.Damaged(_file, _base, $"damaged protobuf entry: wire type {wireType}"),
        };
        if (skip < 0)
        {
            ReadVarint();
            return;
        }
        if (skip > _data.Length - _pos)
            throw ImageReader.Damaged(_file, _base, "damaged protobuf entry: field runs past the entry");
        _pos += (int)skip;
    }
}
