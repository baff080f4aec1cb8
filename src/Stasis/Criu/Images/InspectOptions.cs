namespace Stasis.Criu.Images;

/// <summary>What <c>checkpoint inspect</c> reads beyond the process tree (which is always there).</summary>
public sealed record InspectOptions
{
    /// <summary>Command lines, read from the dumped memory.</summary>
    public bool Cmdline { get; init; }
    /// <summary>Environment variables, read from the dumped memory.</summary>
    public bool Environment { get; init; }
    /// <summary>Each process's open files (fd, type, path, position) and working directory.</summary>
    public bool Files { get; init; }
    /// <summary>TCP/UDP/unix sockets with addresses, ports and state.</summary>
    public bool Sockets { get; init; }
    public bool Mounts { get; init; }
    /// <summary>Per process: mappings, resident and shared pages, size in bytes.</summary>
    public bool Memory { get; init; }
    /// <summary>CRIU's dump and restore statistics.</summary>
    public bool Stats { get; init; }

    public static InspectOptions ProcessTreeOnly { get; } = new();

    public static InspectOptions All { get; } = new()
    {
        Cmdline = true, Environment = true, Files = true, Sockets = true, Mounts = true, Memory = true, Stats = true,
    };
}
