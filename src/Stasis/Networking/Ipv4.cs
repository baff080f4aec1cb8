using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Stasis.Networking;

/// <summary>The little IPv4 arithmetic networks need: parse a subnet, the nth address in it, overlap.</summary>
internal static class Ipv4
{
    public static IPNetwork ParseSubnet(string text)
    {
        // IPNetwork accepts host bits (10.0.0.5/24); a subnet given that way is most likely a typo, so it is refused.
        if (!IPNetwork.TryParse(text, out var net) || net.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || text.Split('/')[0] != net.BaseAddress.ToString())
            throw StasisException.Invalid($"invalid subnet '{text}': use an IPv4 CIDR with no host bits set, e.g. 10.77.5.0/24");
        if (net.PrefixLength is < 8 or > 30)
            throw StasisException.Invalid($"subnet {text} must have a prefix between /8 and /30");
        return net;
    }

    public static IPAddress ParseAddress(string text, string what)
    {
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
            throw StasisException.Invalid($"invalid {what} '{text}': use an IPv4 address such as 10.77.0.5");
        return ip;
    }

    public static IPAddress Nth(IPNetwork net, uint n) => FromUInt(ToUInt(net.BaseAddress) + n);

    public static IPAddress Broadcast(IPNetwork net) => FromUInt(ToUInt(net.BaseAddress) | (uint.MaxValue >> net.PrefixLength));

    /// <summary>True when <paramref name="ip"/> is an address a container can hold in <paramref name="net"/>:
    /// inside it and neither the network nor the broadcast address.</summary>
    public static bool IsHostAddress(IPNetwork net, IPAddress ip) =>
        net.Contains(ip) && !ip.Equals(net.BaseAddress) && !ip.Equals(Broadcast(net));

    public static bool Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static uint ToUInt(IPAddress ip)
    {
        Span<byte> b = stackalloc byte[4];
        ip.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    private static IPAddress FromUInt(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return new IPAddress(b);
    }
}
