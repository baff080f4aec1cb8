using System.Buffers.Binary;

namespace Stasis.Networking.Netlink;

/// <summary>Finds attributes in the type-length-value area of a netlink message.</summary>
internal static class NetlinkAttribute
{
    /// <summary>The value of the first attribute of <paramref name="type"/> (nested flag ignored), or false.</summary>
    public static bool TryFind(ReadOnlySpan<byte> area, ushort type, out ReadOnlySpan<byte> value)
    {
        while (area.Length >= 4)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(area);
            var t = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(area[2..]) & 0x3fff);
            if (len < 4 || len > area.Length) break;
            if (t == type)
            {
                value = area[4..len];
                return true;
            }
            var next = (len + 3) & ~3;
            if (next >= area.Length) break;
            area = area[next..];
        }
        value = default;
        return false;
    }
}
