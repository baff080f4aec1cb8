using System.Buffers.Binary;
using System.Text;

namespace Stasis.Networking.Netlink;

/// <summary>Builds netlink messages: a 16-byte nlmsghdr, a fixed family header, then type-length-value
/// attributes padded to 4 bytes, nested ones with NLA_F_NESTED. Several messages can share one buffer (an
/// nf_tables batch). Host byte order unless a method says big-endian (nf_tables numbers are).</summary>
internal sealed class NetlinkWriter
{
    public const ushort NLM_F_REQUEST = 0x1, NLM_F_ACK = 0x4, NLM_F_DUMP = 0x300, NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    private const ushort NLA_F_NESTED = 0x8000;

    private byte[] _buffer = new byte[512];
    private int _length;
    private int _message = -1;
    // Plain arrays, not Stack<int>/List<uint>: generic collections over value types are JIT-compiled at every
    // start (ReadyToRun code for them cannot live in this assembly), a few ms on a command's critical path.
    private readonly int[] _nests = new int[16];
    private int _depth;
    private uint[] _acked = new uint[8];
    private int _ackedCount;
    private uint _seq;

    public NetlinkWriter(uint firstSequence) => _seq = firstSequence;

    /// <summary>Sequence numbers of the messages that asked for an acknowledgement, in order.</summary>
    public ReadOnlySpan<uint> AckedSequences => _acked.AsSpan(0, _ackedCount);

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    public NetlinkWriter Begin(ushort type, ushort flags)
    {
        if (_message >= 0) End();
        Align();
        _message = _length;
        var seq = _seq++;
        var h = Grow(16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], seq);
        if ((flags & NLM_F_ACK) != 0)
        {
            if (_ackedCount == _acked.Length) Array.Resize(ref _acked, _acked.Length * 2);
            _acked[_ackedCount++] = seq;
        }
        return this;
    }

    /// <summary>Raw bytes of the family header (nfgenmsg, tcmsg …).</summary>
    public NetlinkWriter Header(ReadOnlySpan<byte> header)
    {
        header.CopyTo(Grow(header.Length));
        Align();
        return this;
    }

    public NetlinkWriter Attr(ushort type, ReadOnlySpan<byte> value)
    {
        Align();
        var a = Grow(4 + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], type);
        value.CopyTo(a[4..]);
        Align();
        return this;
    }

    /// <summary>A NUL-terminated string.</summary>
    public NetlinkWriter AttrString(ushort type, string value)
    {
        Span<byte> s = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, s);
        s[^1] = 0;
        return Attr(type, s);
    }

    public NetlinkWriter AttrU32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        return Attr(type, v);
    }

    public NetlinkWriter AttrU32BigEndian(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, value);
        return Attr(type, v);
    }

    public NetlinkWriter AttrU64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(v, value);
        return Attr(type, v);
    }

    public NetlinkWriter BeginNested(ushort type)
    {
        Align();
        if (_depth == _nests.Length) throw new InvalidOperationException("netlink attributes nested too deeply");
        _nests[_depth++] = _length;
        var a = Grow(4);
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], (ushort)(type | NLA_F_NESTED));
        return this;
    }

    public NetlinkWriter EndNested()
    {
        var start = _nests[--_depth];
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>Closes the current message (writes its length); also done by the next Begin.</summary>
    public NetlinkWriter End()
    {
        if (_message < 0) return this;
        if (_depth > 0) throw new InvalidOperationException("netlink message ended inside a nested attribute");
        Align();
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_message), (uint)(_length - _message));
        _message = -1;
        return this;
    }

    private void Align()
    {
        var pad = (4 - (_length & 3)) & 3;
        if (pad > 0) Grow(pad);
    }

    private Span<byte> Grow(int n)
    {
        if (_length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + n));
        var span = _buffer.AsSpan(_length, n);
        span.Clear();
        _length += n;
        return span;
    }
}
