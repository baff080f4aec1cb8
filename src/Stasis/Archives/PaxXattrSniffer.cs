using System.Text;

namespace Stasis.Archives;

/// <summary>Read pass-through placed under TarReader that follows the tar framing and keeps the raw bytes of each
/// member's SCHILY.xattr.* PAX values. System.Formats.Tar decodes PAX values as UTF-8, which destroys binary
/// attributes such as security.capability; these raw copies let the extractor restore them exactly.</summary>
internal sealed class PaxXattrSniffer(Stream inner) : Stream
{
    private const int Block = 512;
    private const long MaxCapture = 16 << 20; // larger PAX blocks are not xattr carriers worth keeping

    private readonly byte[] _header = new byte[Block];
    private int _headerFill;
    private long _skip;                  // data and padding bytes still to pass before the next header
    private MemoryStream? _capture;      // the PAX record block being read, if any
    private long _captureLeft;
    private Dictionary<string, byte[]>? _pending; // raw attributes from the last 'x' block, for the next member
    private readonly Queue<Dictionary<string, byte[]>?> _members = new();

    /// <summary>Raw attributes of the next member header seen (in archive order); null when it had none or the
    /// framing could not be followed.</summary>
    public Dictionary<string, byte[]>? TakeNextMember() => _members.Count > 0 ? _members.Dequeue() : null;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_captureLeft > 0)
            {
                var take = (int)Math.Min(_captureLeft, data.Length);
                _capture!.Write(data[..take]);
                _captureLeft -= take;
                data = data[take..];
                if (_captureLeft == 0) _pending = ParseRecords(_capture.ToArray());
                continue;
            }
            if (_skip > 0)
            {
                var take = (int)Math.Min(_skip, data.Length);
                _skip -= take;
                data = data[take..];
                continue;
            }
            var n = Math.Min(Block - _headerFill, data.Length);
            data[..n].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += n;
            data = data[n..];
            if (_headerFill == Block)
            {
                _headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0) return; // end-of-archive block
        var size = ParseSize(_header.AsSpan(124, 12));
        var type = (char)_header[156];
        if (type == 'x' && size <= MaxCapture)
        {
            _capture = new MemoryStream((int)Math.Min(size, 1 << 20));
            _captureLeft = size;
            _skip = Padding(size);
            if (size == 0) _pending = [];
            return;
        }
        if (type is 'x' or 'g' or 'L' or 'K')
        {
            _skip = size + Padding(size);
            return;
        }
        // A real member: a PAX "size" record overrides the header's field.
        if (_pending is not null && _pending.TryGetValue("size", out var paxSize) &&
            long.TryParse(Encoding.ASCII.GetString(paxSize), out var s)) size = s;
        _pending?.Remove("size");
        _members.Enqueue(_pending is { Count: > 0 } ? _pending : null);
        _pending = null;
        _skip = size + Padding(size);
    }

    private static long Padding(long size) => (Block - size % Block) % Block;

    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256 for sizes beyond the octal field.
            long v = field[0] & 0x7F;
            for (var i = 1; i < field.Length; i++) v = (v << 8) | field[i];
            return v;
        }
        long octal = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7') octal = octal * 8 + (b - '0');
            else if (octal > 0 || b is not ((byte)' ' or 0)) break;
        }
        return octal;
    }

    /// <summary>Records are "LENGTH KEY=VALUE\n"; keeps the SCHILY xattrs (name → raw value) and "size".</summary>
    private static Dictionary<string, byte[]> ParseRecords(byte[] block)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var pos = 0;
        while (pos < block.Length)
        {
            var space = Array.IndexOf(block, (byte)' ', pos);
            if (space < 0 || !int.TryParse(block.AsSpan(pos, space - pos), out var length) || length <= 0 || pos + length > block.Length) break;
            var record = block.AsSpan(space + 1, pos + length - space - 2); // without the trailing newline
            var eq = record.IndexOf((byte)'=');
            if (eq > 0)
            {
                var key = Encoding.UTF8.GetString(record[..eq]);
                if (key.StartsWith(TarXattrs.SchilyPrefix, StringComparison.Ordinal)) result[key[TarXattrs.SchilyPrefix.Length..]] = record[(eq + 1)..].ToArray();
                else if (key == "size") result["size"] = record[(eq + 1)..].ToArray();
            }
            pos += length;
        }
        return result;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
