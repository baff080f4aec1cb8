namespace Stasis.Containers;

/// <summary>A container as `ps` and `inspect` show it.</summary>
public sealed record ContainerInfo
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string WorkingDir { get; init; } = "/";
    public string Network { get; init; } = "none";
    /// <summary>The container's address in its network while it is attached, else null.</summary>
    public string? IpAddress { get; init; }
    /// <summary>The MAC address of the container's interface while it is attached, else null.</summary>
    public string? MacAddress { get; init; }
    /// <summary>Published ports, HOSTPORT:CTRPORT/PROTO.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];
    public IReadOnlyList<VolumeMount> Mounts { get; init; } = [];
    public ContainerState State { get; init; }
    /// <summary>Host PID of the container's first process while it runs, else 0.</summary>
    public int Pid { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public IReadOnlyList<string> Checkpoints { get; init; } = [];
    public string? LastCheckpoint { get; init; }
    public string? RestoredFrom { get; init; }
    public required string Rootfs { get; init; }
    public required string Bundle { get; init; }
    public required string LogPath { get; init; }

    /// <summary>Podman-like one-word status with detail ("Up", "Exited (0)", "Checkpointed", "Created").</summary>
    public string Status => State switch
    {
        ContainerState.Running => "Up",
        ContainerState.Exited => $"Exited ({ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})",
        ContainerState.Checkpointed => "Checkpointed",
        _ => "Created",
    };
}
