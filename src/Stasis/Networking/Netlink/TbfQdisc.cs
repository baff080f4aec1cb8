using System.Buffers.Binary;
using System.Globalization;

namespace Stasis.Networking.Netlink;

/// <summary>The root token-bucket qdisc (tbf) of one interface, over rtnetlink: what `tc qdisc replace|change|del
/// … tbf` and `tc -s qdisc show` did, without a process per step.</summary>
internal static class TbfQdisc
{
    private const ushort RTM_NEWQDISC = 36, RTM_DELQDISC = 37, RTM_GETQDISC = 38;
    private const uint TC_H_ROOT = 0xFFFFFFFF;
    private const ushort TCA_KIND = 1, TCA_OPTIONS = 2, TCA_STATS2 = 7, TCA_STATS_QUEUE = 3;
    private const ushort TCA_TBF_PARMS = 1, TCA_TBF_RATE64 = 4, TCA_TBF_BURST = 6;

    /// <summary>Puts a tbf with <paramref name="handle"/> at the root, replacing what was there
    /// (<paramref name="replace"/>), or changes the rate of the tbf that has that handle (fails when the root
    /// qdisc is not ours).</summary>
    public static void Set(int ifindex, uint handle, ulong bytesPerSecond, uint burst, uint limit, bool replace)
    {
        var flags = (ushort)(NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK |
            (replace ? NetlinkWriter.NLM_F_CREATE | NetlinkWriter.NLM_F_REPLACE : 0));
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1)).Begin(RTM_NEWQDISC, flags).Header(TcMsg(ifindex, handle))
            .AttrString(TCA_KIND, "tbf")
            .BeginNested(TCA_OPTIONS).Attr(TCA_TBF_PARMS, Parms(bytesPerSecond, limit));
        if (bytesPerSecond > uint.MaxValue) w.AttrU64(TCA_TBF_RATE64, bytesPerSecond);
        w.AttrU32(TCA_TBF_BURST, burst).EndNested();
        using var socket = NetlinkSocket.Open(Interop.LibcSockets.NETLINK_ROUTE);
        socket.Transact(w, replace ? "cannot queue the container's traffic (tc qdisc replace)" : "cannot release the container's traffic queue (tc qdisc change)");
    }

    public static void Delete(int ifindex, uint handle)
    {
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1))
            .Begin(RTM_DELQDISC, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK).Header(TcMsg(ifindex, handle));
        using var socket = NetlinkSocket.Open(Interop.LibcSockets.NETLINK_ROUTE);
        socket.Transact(w, "cannot remove the container's traffic queue (tc qdisc del)");
    }

    /// <summary>The root qdisc: its kind, handle and the packets queued in it; null when the interface has none
    /// (or is gone). A dump, as `tc qdisc show dev X` does it (a plain get is not answered by every kernel).</summary>
    public static QdiscInfo? Root(int ifindex)
    {
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1))
            .Begin(RTM_GETQDISC, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_DUMP).Header(TcMsg(ifindex, 0, parent: 0));
        using var socket = NetlinkSocket.Open(Interop.LibcSockets.NETLINK_ROUTE);
        foreach (var answer in socket.Dump(w, "cannot read the interface's qdisc"))
        {
            if (answer.Length < 20) continue;
            if (BinaryPrimitives.ReadInt32LittleEndian(answer.AsSpan(4)) != ifindex) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(answer.AsSpan(12)) != TC_H_ROOT) continue;
            return Parse(answer);
        }
        return null;
    }

    internal static QdiscInfo? Parse(ReadOnlySpan<byte> tcmsgAndAttributes)
    {
        if (tcmsgAndAttributes.Length < 20) return null;
        var handle = BinaryPrimitives.ReadUInt32LittleEndian(tcmsgAndAttributes[8..]);
        var attrs = tcmsgAndAttributes[20..];
        var kind = NetlinkAttribute.TryFind(attrs, TCA_KIND, out var k) ? System.Text.Encoding.ASCII.GetString(k).TrimEnd('\0') : "";
        uint packets = 0;
        if (NetlinkAttribute.TryFind(attrs, TCA_STATS2, out var stats) && NetlinkAttribute.TryFind(stats, TCA_STATS_QUEUE, out var queue) && queue.Length >= 4)
            packets = BinaryPrimitives.ReadUInt32LittleEndian(queue); // struct gnet_stats_queue: qlen first
        return new QdiscInfo(kind, handle, packets);
    }

    /// <summary>The interface's index, or 0 when it does not exist.</summary>
    public static int IfIndex(string name)
    {
        try
        {
            return int.Parse(File.ReadAllText($"/sys/class/net/{name}/ifindex").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>struct tcmsg: family, padding, ifindex, handle, parent (the root), info.</summary>
    private static byte[] TcMsg(int ifindex, uint handle, uint parent = TC_H_ROOT)
    {
        var m = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(m.AsSpan(4), ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), handle);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(12), parent);
        return m;
    }

    /// <summary>struct tc_tbf_qopt: rate and peak rate (struct tc_ratespec, 12 bytes each), limit, buffer, mtu.
    /// The link layer is given (Ethernet), so the kernel needs no rate table; the burst comes as TCA_TBF_BURST.</summary>
    internal static byte[] Parms(ulong bytesPerSecond, uint limit)
    {
        var p = new byte[36];
        p[1] = 1; // TC_LINKLAYER_ETHERNET
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(8), (uint)Math.Min(bytesPerSecond, uint.MaxValue));
        p[12 + 1] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(24), limit);
        return p;
    }
}
