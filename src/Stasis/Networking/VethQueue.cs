using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Stasis.Util;

namespace Stasis.Networking;

/// <summary>A traffic queue on the host end of a container's veth: a token-bucket qdisc (tbf) with a rate so low
/// that packets to the container wait in it (up to <see cref="Limit"/>) instead of reaching the namespace. Raising
/// the rate releases them in order. The kernel keeps the qdisc between two CLI calls, and deleting the veth
/// deletes it, so it cannot outlive the container. Best effort: when tc is missing or refuses, the DROP rule of
/// <see cref="TrafficHold"/> still keeps peers alive (by retransmission).</summary>
internal static partial class VethQueue
{
    /// <summary>Marks the qdisc as Stasis's, so release never removes somebody else's.</summary>
    private const string Handle = "5157:";
    private const string Limit = "64mb";

    [GeneratedRegex(@"backlog \S+ (\d+)p")]
    private static partial Regex Backlog();

    public static async Task HoldAsync(string veth, string? ip, CancellationToken ct)
    {
        if (!Directory.Exists(Sys(veth))) return;
        var mtu = Mtu(veth);
        // The bucket must hold one full frame (a larger one would be dropped, not queued) and starts full:
        // one frame of our own empties it, so the peers' packets queue from the first one on.
        var burst = (mtu + 14 + 64).ToString(CultureInfo.InvariantCulture);
        var r = await TcAsync(["qdisc", "replace", "dev", veth, "root", "handle", Handle, "tbf", "rate", "100bit", "burst", burst, "limit", Limit], ct).ConfigureAwait(false);
        if (!r.Succeeded) return;
        if (ip is not null) Echo(ip, mtu - 28);
    }

    public static async Task ReleaseAsync(string veth, string? ip, CancellationToken ct)
    {
        if (!Directory.Exists(Sys(veth))) return;
        // Fails when there is no such qdisc of ours (the handle must match): nothing to release.
        var change = await TcAsync(["qdisc", "change", "dev", veth, "root", "handle", Handle, "tbf", "rate", "100gbit", "burst", "4mb", "limit", Limit], ct).ConfigureAwait(false);
        if (!change.Succeeded) return;
        // A throttled tbf dequeues only when its timer fires (set for the old, tiny rate) or a packet arrives: ours.
        if (ip is not null) Echo(ip, 0);
        for (var i = 0; i < 50; i++)
        {
            var show = await TcAsync(["-s", "qdisc", "show", "dev", veth], ct).ConfigureAwait(false);
            var m = Backlog().Match(show.StandardOutput);
            if (!m.Success || m.Groups[1].Value == "0") break;
            if (i % 10 == 9 && ip is not null) Echo(ip, 0);
            await Task.Delay(2, ct).ConfigureAwait(false);
        }
        await TcAsync(["qdisc", "del", "dev", veth, "root", "handle", Handle], ct).ConfigureAwait(false);
    }

    /// <summary>True while Stasis's queue sits on the veth.</summary>
    public static async Task<bool> IsHeldAsync(string veth, CancellationToken ct) =>
        Directory.Exists(Sys(veth)) &&
        (await TcAsync(["qdisc", "show", "dev", veth], ct).ConfigureAwait(false)).StandardOutput.Contains("tbf " + Handle, StringComparison.Ordinal);

    private static string Sys(string veth) => Path.Combine("/sys/class/net", veth);

    private static int Mtu(string veth)
    {
        try
        {
            return int.Parse(File.ReadAllText(Path.Combine(Sys(veth), "mtu")).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return 1500;
        }
    }

    /// <summary>One ICMP echo request to the container: the kernel answers it (or the hold drops it); no program in
    /// the container sees it.</summary>
    private static void Echo(string ip, int payload)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
            s.SendTo(IcmpEcho.Request(Math.Max(0, payload)), new IPEndPoint(IPAddress.Parse(ip), 0));
        }
        catch (Exception e) when (e is SocketException or FormatException) { }
    }

    private static Task<ProcessResult> TcAsync(IEnumerable<string> args, CancellationToken ct) => ProcessRunner.RunAsync("tc", args, ct);
}
