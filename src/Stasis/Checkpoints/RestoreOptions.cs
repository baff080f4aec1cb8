namespace Stasis.Checkpoints;

/// <summary>What `stasis restore` takes.</summary>
public sealed record RestoreOptions
{
    /// <summary>Checkpoint to restore; default the newest.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>Restore as a new container with this name instead of in place.</summary>
    public string? Name { get; init; }
    /// <summary>Force CRIU's --tcp-established on restore (default: as the checkpoint was taken).</summary>
    public bool? TcpEstablished { get; init; }
    /// <summary>A copy's address in its network (default: the next free one). In place the checkpoint's address is kept.</summary>
    public string? Ip { get; init; }
    /// <summary>A copy's published ports, HOSTPORT:CTRPORT[/tcp|/udp], replacing the original's (null: the same ones).</summary>
    public IReadOnlyList<string>? Ports { get; init; }
}
