using Stasis.Util;

namespace Stasis.Networking;

/// <summary>Holds a container's incoming traffic while its sockets do not exist (frozen, dumped, being restored).
/// Two layers:
/// <list type="bullet">
/// <item>an iptables DROP rule in the container's own network namespace: a segment that reached a namespace
/// without its socket would be answered with RST and the peer's connection would die; dropped, it is retransmitted.
/// The rule lives in the namespace, so removing the namespace removes it too.</item>
/// <item>a queue on the host end of the container's veth (<see cref="VethQueue"/>): segments wait there instead of
/// being dropped, and are delivered the moment the sockets are back. Without it a peer only notices the container
/// is back at its next retransmission, and TCP's back-off (0.2, 0.6, 1.4, 3 s …) stretches a one-second hold
/// into a three-second pause.</item>
/// </list></summary>
internal static class TrafficHold
{
    private static readonly string[] Rule = ["INPUT", "!", "-i", "lo", "-j", "DROP", "-m", "comment", "--comment", "stasis-hold"];

    /// <summary>Drops the container's incoming traffic inside its namespace.</summary>
    public static async Task InsertAsync(string netns, CancellationToken ct)
    {
        // No check first (one process less on the freeze path): a second copy of the rule is harmless, and
        // release deletes every copy.
        var r = await IptablesAsync(netns, "-I", ct).ConfigureAwait(false);
        if (!r.Succeeded)
            throw new StasisException(StasisErrorCode.Unsupported,
                $"cannot hold the container's traffic with iptables in its network namespace: {r.Reason} (apt-get install iptables)");
    }

    /// <summary>The DROP rule and, when the host end of the veth is known, the queue in front of it.</summary>
    public static async Task InsertAsync(NetworkAttachment attachment, CancellationToken ct)
    {
        await InsertAsync(attachment.Netns, ct).ConfigureAwait(false);
        if (attachment.HostVeth is { } veth) await VethQueue.HoldAsync(veth, attachment.Ip, ct).ConfigureAwait(false);
    }

    /// <summary>Removes the rule if present; safe to call when it is not.</summary>
    public static async Task ReleaseAsync(string netns, CancellationToken ct)
    {
        if (!Runtime.MountTable.IsMounted(netns)) return;
        // Usually one rule: delete, then make sure no copy is left (a delete that fails with the rule still
        // there is a real failure).
        for (var i = 0; i < 16; i++)
        {
            var r = await IptablesAsync(netns, "-D", ct).ConfigureAwait(false);
            if (!await ExistsAsync(netns, ct).ConfigureAwait(false)) return;
            if (!r.Succeeded)
                throw new StasisException(StasisErrorCode.Runtime, $"cannot remove the traffic hold in {netns}: {r.Reason}");
        }
    }

    /// <summary>Removes the rule first, then lets the queued traffic through, so nothing queued meets the rule.</summary>
    public static async Task ReleaseAsync(NetworkAttachment attachment, CancellationToken ct)
    {
        try
        {
            await ReleaseAsync(attachment.Netns, ct).ConfigureAwait(false);
        }
        finally
        {
            if (attachment.HostVeth is { } veth) await VethQueue.ReleaseAsync(veth, attachment.Ip, ct).ConfigureAwait(false);
        }
    }

    public static async Task<bool> ExistsAsync(string netns, CancellationToken ct) =>
        (await IptablesAsync(netns, "-C", ct).ConfigureAwait(false)).Succeeded;

    private static Task<ProcessResult> IptablesAsync(string netns, string verb, CancellationToken ct) =>
        ProcessRunner.RunAsync("nsenter", [$"--net={netns}", "iptables", "-w", verb, .. Rule], ct);
}
