using Stasis.Util;

namespace Stasis.Networking;

/// <summary>Holds a container's incoming traffic while its sockets do not exist (frozen, dumped, being restored):
/// one iptables DROP rule in the container's own network namespace. A dropped segment is retransmitted by the
/// peer; one that reaches a namespace without the socket is answered with RST and the peer's connection dies.
/// The rule lives in the namespace, so removing the namespace removes it too: it cannot leak onto the host.</summary>
internal static class TrafficHold
{
    private static readonly string[] Rule = ["INPUT", "!", "-i", "lo", "-j", "DROP", "-m", "comment", "--comment", "stasis-hold"];

    public static async Task InsertAsync(string netns, CancellationToken ct)
    {
        if (await ExistsAsync(netns, ct).ConfigureAwait(false)) return;
        var r = await IptablesAsync(netns, "-I", ct).ConfigureAwait(false);
        if (!r.Succeeded)
            throw new StasisException(StasisErrorCode.Unsupported,
                $"cannot hold the container's traffic with iptables in its network namespace: {r.Reason} (apt-get install iptables)");
    }

    /// <summary>Removes the rule if present; safe to call when it is not.</summary>
    public static async Task ReleaseAsync(string netns, CancellationToken ct)
    {
        if (!Runtime.MountTable.IsMounted(netns)) return;
        while (await ExistsAsync(netns, ct).ConfigureAwait(false))
        {
            var r = await IptablesAsync(netns, "-D", ct).ConfigureAwait(false);
            if (!r.Succeeded)
                throw new StasisException(StasisErrorCode.Runtime, $"cannot remove the traffic hold in {netns}: {r.Reason}");
        }
    }

    public static async Task<bool> ExistsAsync(string netns, CancellationToken ct) =>
        (await IptablesAsync(netns, "-C", ct).ConfigureAwait(false)).Succeeded;

    private static Task<ProcessResult> IptablesAsync(string netns, string verb, CancellationToken ct) =>
        ProcessRunner.RunAsync("nsenter", [$"--net={netns}", "iptables", "-w", verb, .. Rule], ct);
}
