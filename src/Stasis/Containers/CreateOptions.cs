namespace Stasis.Containers;

/// <summary>What `stasis create` / `stasis run` take.</summary>
public sealed record CreateOptions
{
    public required string Image { get; init; }
    public string? Name { get; init; }
    /// <summary>Command and arguments; empty means the image's Cmd. The image's Entrypoint, if any, comes first.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
    /// <summary>KEY=VALUE pairs, added to (and overriding) the image's environment.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    /// <summary>Working directory inside the container; default the image's, else "/".</summary>
    public string? WorkingDir { get; init; }
    /// <summary>USER, UID, USER:GROUP or UID:GID (names from the image's /etc/passwd and /etc/group); default the image's User, else root.</summary>
    public string? User { get; init; }
    /// <summary>Keep a stdin pipe open for the container (conmon -i).</summary>
    public bool Interactive { get; init; }
    /// <summary>-v values: HOSTDIR:CTRDIR[:ro] or NAME:CTRDIR[:ro] (a missing named volume is created).</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>"none" (loopback only; the default here), "host", or a network's name ("stasis" is the default
    /// bridge network, which the CLI uses when --network is not given).</summary>
    public string? Network { get; init; }
    /// <summary>The address to take in the network (--ip); default: the next free one.</summary>
    public string? Ip { get; init; }
    /// <summary>-p values: HOSTPORT:CTRPORT[/tcp|/udp].</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];
}
