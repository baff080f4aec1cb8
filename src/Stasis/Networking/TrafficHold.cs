using Stasis.Networking.Netlink;

namespace Stasis.Networking;

/// <summary>Holds a container's incoming traffic while its sockets do not exist (frozen, dumped, being restored).
/// Two layers, both set in-process over netlink (a checkpoint needs only the first, see
/// <see cref="InsertAsync(NetworkAttachment, CancellationToken)"/>):
/// <list type="bullet">
/// <item>a drop table in the container's own network namespace (<see cref="NftablesHold"/>): a segment that reached
/// a namespace without its socket would be answered with RST and the peer's connection would die; dropped, it is
/// retransmitted. The table lives in the namespace, so removing the namespace removes it too.</item>
/// <item>a queue on the host end of the container's veth (<see cref="VethQueue"/>): segments wait there instead of
/// being dropped, and are delivered the moment the sockets are back. Without it a peer only notices the container
/// is back at its next retransmission, and TCP's back-off (0.2, 0.6, 1.4, 3 s …) stretches a one-second hold
/// into a three-second pause.</item>
/// </list></summary>
internal static class TrafficHold
{
    /// <summary>Drops the container's incoming traffic (all but loopback) inside its namespace; idempotent.</summary>
    public static Task InsertAsync(string netns, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Insert(netns);
        return Task.CompletedTask;
    }

    public static void Insert(string netns)
    {
        try
        {
            NftablesHold.Insert(netns);
        }
        catch (NetlinkException e)
        {
            throw new StasisException(StasisErrorCode.Unsupported,
                $"cannot hold the container's traffic in its network namespace: {e.Message} (the kernel needs nf_tables)", e);
        }
    }

    /// <summary>The hold of a checkpoint: the queue in front of the namespace. No drop table: from the moment CRIU's
    /// dump stops the processes until its restore has the sockets back, CRIU keeps the namespace's traffic locked
    /// itself (its own nftables table, see its dump.log "Lock network"), and before that the frozen sockets still
    /// exist. Without a known veth (or when the queue cannot be set) the drop table stands in.</summary>
    public static Task InsertAsync(NetworkAttachment attachment, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (attachment.HostVeth is not { } veth || !VethQueue.Hold(veth, attachment.Ip)) Insert(attachment.Netns);
        return Task.CompletedTask;
    }

    /// <summary>Removes the drop table if present; safe to call when it is not.</summary>
    public static Task ReleaseAsync(string netns, CancellationToken ct)
    {
        Release(netns);
        return Task.CompletedTask;
    }

    public static void Release(string netns)
    {
        if (!Runtime.MountTable.IsMounted(netns)) return;
        try
        {
            if (NftablesHold.Release(netns)) ReleaseLegacy(netns);
            Util.StartupTrace.Mark("hold: nft released");
        }
        catch (NetlinkException e)
        {
            throw new StasisException(StasisErrorCode.Runtime, $"cannot remove the traffic hold in {netns}: {e.Message}", e);
        }
    }

    /// <summary>The iptables rule an older Stasis held traffic with (still there when a container it checkpointed is
    /// restored by this version): deleted with iptables, as it was made.</summary>
    private static void ReleaseLegacy(string netns)
    {
        string[] rule = ["INPUT", "!", "-i", "lo", "-j", "DROP", "-m", "comment", "--comment", "stasis-hold"];
        for (var i = 0; i < 16 && NftablesHold.LegacyRulePresent(netns); i++)
        {
            var r = Util.ProcessRunner.RunAsync("nsenter", [$"--net={netns}", "iptables", "-w", "-D", .. rule], CancellationToken.None).GetAwaiter().GetResult();
            if (!r.Succeeded) throw new StasisException(StasisErrorCode.Runtime, $"cannot remove the older traffic hold in {netns}: {r.Reason}");
        }
    }

    /// <summary>Removes the drop table first, then lets the queued traffic through, so nothing queued meets it.</summary>
    public static Task ReleaseAsync(NetworkAttachment attachment, CancellationToken ct)
    {
        try
        {
            Release(attachment.Netns);
        }
        finally
        {
            if (attachment.HostVeth is { } veth) VethQueue.Release(veth, attachment.Ip);
        }
        return Task.CompletedTask;
    }

    public static Task<bool> ExistsAsync(string netns, CancellationToken ct) =>
        Task.FromResult(Runtime.MountTable.IsMounted(netns) && NftablesHold.Exists(netns));
}
