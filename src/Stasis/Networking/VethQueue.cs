using System.Globalization;
using Stasis.Networking.Netlink;

namespace Stasis.Networking;

/// <summary>A traffic queue on the host end of a container's veth: a token-bucket qdisc (tbf) with a rate so low
/// that packets to the container wait in it (up to <see cref="Limit"/> bytes) instead of reaching the namespace.
/// Raising the rate releases them in order. The kernel keeps the qdisc between two CLI calls, and deleting the
/// veth deletes it, so it cannot outlive the container. Set over rtnetlink in-process (see <see cref="TbfQdisc"/>).
/// Best effort: when the kernel refuses, the drop table of <see cref="TrafficHold"/> still keeps peers alive (by
/// retransmission).</summary>
internal static class VethQueue
{
    /// <summary>Handle 5157: marks the qdisc as Stasis's, so release never touches somebody else's.</summary>
    private const uint Handle = 0x51570000;
    private const uint Limit = 64 << 20;
    private const ulong HoldRate = 12;                  // bytes/s: 100 bit/s, as `tc … rate 100bit`
    private const ulong ReleaseRate = 100_000_000_000 / 8; // 100 Gbit/s
    private const uint ReleaseBurst = 4 << 20;

    public static Task HoldAsync(string veth, string? ip, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Hold(veth, ip);
        return Task.CompletedTask;
    }

    /// <summary>False when the queue could not be set (no such interface, the kernel refused).</summary>
    public static bool Hold(string veth, string? ip)
    {
        var ifindex = TbfQdisc.IfIndex(veth);
        if (ifindex == 0) return false;
        var mtu = Mtu(veth);
        // The bucket must hold one full frame (a larger one would be dropped, not queued) and starts full:
        // one frame of our own empties it, so the peers' packets queue from the first one on.
        try
        {
            TbfQdisc.Set(ifindex, Handle, HoldRate, (uint)(mtu + 14 + 64), Limit, replace: true);
        }
        catch (NetlinkException)
        {
            return false;
        }
        if (ip is not null) IcmpEcho.Send(ip, mtu - 28);
        return true;
    }

    public static void Release(string veth, string? ip)
    {
        var ifindex = TbfQdisc.IfIndex(veth);
        if (ifindex == 0) return;
        try
        {
            // Fails when the root qdisc is not ours (the handle must match): nothing to release.
            TbfQdisc.Set(ifindex, Handle, ReleaseRate, ReleaseBurst, Limit, replace: false);
        }
        catch (NetlinkException)
        {
            return;
        }
        // A throttled tbf dequeues only when its timer fires (set for the old, tiny rate) or a packet arrives: ours.
        if (ip is not null) IcmpEcho.Send(ip, 0);
        for (var i = 0; i < 100; i++)
        {
            if (TbfQdisc.Root(ifindex) is not { Kind: "tbf", Handle: Handle, Packets: > 0 }) break;
            if (i % 10 == 9 && ip is not null) IcmpEcho.Send(ip, 0);
            Thread.Sleep(1);
        }
        try
        {
            TbfQdisc.Delete(ifindex, Handle);
        }
        catch (NetlinkException) { }
    }

    /// <summary>True while Stasis's queue sits on the veth.</summary>
    public static Task<bool> IsHeldAsync(string veth, CancellationToken ct) => Task.FromResult(IsHeld(veth));

    public static bool IsHeld(string veth) =>
        TbfQdisc.IfIndex(veth) is var ifindex and > 0 && TbfQdisc.Root(ifindex) is { Kind: "tbf", Handle: Handle };

    private static int Mtu(string veth)
    {
        try
        {
            return int.Parse(File.ReadAllText($"/sys/class/net/{veth}/mtu").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return 1500;
        }
    }
}
