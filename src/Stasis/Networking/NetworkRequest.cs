namespace Stasis.Networking;

/// <summary>What a restore asks of the network beyond the container's own settings: the address and MAC it had
/// (so established connections still fit), and whether to hold incoming traffic until the process is back.</summary>
internal sealed record NetworkRequest
{
    public string? Ip { get; init; }
    public string? Mac { get; init; }
    /// <summary>Drop (not refuse) traffic into the namespace from before the interface exists until
    /// <see cref="TrafficHold.ReleaseAsync"/>, so peers retransmit rather than being reset.</summary>
    public bool Hold { get; init; }
}
