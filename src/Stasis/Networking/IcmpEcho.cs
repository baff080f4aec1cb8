using System.Buffers.Binary;

namespace Stasis.Networking;

/// <summary>ICMP echo request packets (RFC 792) for a raw socket, which adds the IP header itself.</summary>
internal static class IcmpEcho
{
    public static byte[] Request(int payload, ushort id = 0x5157, ushort sequence = 1)
    {
        var p = new byte[8 + payload];
        p[0] = 8; // echo request, code 0
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), Checksum(p));
        return p;
    }

    /// <summary>The Internet checksum: one's complement of the one's-complement sum of 16-bit words.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
