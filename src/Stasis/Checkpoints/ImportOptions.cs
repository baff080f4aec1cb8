namespace Stasis.Checkpoints;

/// <summary>What `stasis restore --import` takes.</summary>
public sealed record ImportOptions
{
    /// <summary>Name of the new container; default the archived container's name when it is free.</summary>
    public string? Name { get; init; }

    /// <summary>Force CRIU's --tcp-established on restore (default: as the checkpoint was taken).</summary>
    public bool? TcpEstablished { get; init; }

    /// <summary>Published ports HOSTPORT:CTRPORT[/tcp|/udp] for the new container, replacing the archived ones;
    /// null: the ports the archive records (a Stasis archive; Podman's carries none Stasis reads).</summary>
    public IReadOnlyList<string>? Ports { get; init; }

    /// <summary>Reports the archive bytes read so far (total known only for a file).</summary>
    public IProgress<ArchiveProgress>? Progress { get; init; }
}
