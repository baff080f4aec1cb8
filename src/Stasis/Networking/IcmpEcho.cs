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

    /// <summary>Sends one echo request to an IPv4 address from a raw socket (best effort: false when it could not);
    /// the kernel answers it, no program sees it.</summary>
    public static unsafe bool Send(string ipv4, int payload)
    {
        Span<byte> address = stackalloc byte[4];
        if (!TryParseDotted(ipv4, address)) return false;
        var fd = Interop.LibcSockets.Socket(Interop.LibcSockets.AF_INET, Interop.LibcSockets.SOCK_RAW | Interop.LibcSockets.SOCK_CLOEXEC, Interop.LibcSockets.IPPROTO_ICMP);
        if (fd < 0) return false;
        try
        {
            // struct sockaddr_in: family, port 0, the address in network order, 8 bytes of padding.
            var sin = stackalloc byte[16];
            new Span<byte>(sin, 16).Clear();
            sin[0] = Interop.LibcSockets.AF_INET;
            address.CopyTo(new Span<byte>(sin + 4, 4));
            var packet = Request(Math.Max(0, payload));
            fixed (byte* p = packet)
                return Interop.LibcSockets.SendTo(fd, p, (nuint)packet.Length, 0, sin, 16) == packet.Length;
        }
        finally
        {
            Interop.LibcSockets.Close(fd);
        }
    }

    /// <summary>"a.b.c.d" into four bytes (IPAddress's parser is generic code JIT-compiled at first use).</summary>
    internal static bool TryParseDotted(string text, Span<byte> bytes)
    {
        var part = 0;
        var value = -1;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (value < 0 || part == 3) return false;
                bytes[part++] = (byte)value;
                value = -1;
            }
            else if (c is >= '0' and <= '9')
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) return false;
            }
            else return false;
        }
        if (value < 0 || part != 3) return false;
        bytes[3] = (byte)value;
        return true;
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
