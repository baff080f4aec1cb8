namespace Stasis.Containers;

/// <summary>What the store keeps about one container (containers/&lt;id&gt;/container.json).</summary>
internal sealed class ContainerRecord
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public List<string> Command { get; init; } = [];
    public List<string> Env { get; init; } = [];
    public string WorkingDir { get; init; } = "/";
    /// <summary>User spec (USER, UID, USER:GROUP, UID:GID); resolved against the image's /etc/passwd and
    /// /etc/group each time the spec is written. Empty is root.</summary>
    public string User { get; init; } = "";
    /// <summary>"none", "host" or the name of a CNI network.</summary>
    public string Network { get; init; } = "none";
    /// <summary>The address asked for with --ip; null lets the network's allocator choose.</summary>
    public string? Ip { get; init; }
    /// <summary>Ports published on the host (-p).</summary>
    public List<Networking.PortMapping> Ports { get; init; } = [];
    public bool Interactive { get; init; }
    public List<VolumeMount> Mounts { get; init; } = [];
    public ContainerState State { get; set; } = ContainerState.Created;
    public int Pid { get; set; }
    public int ConmonPid { get; set; }
    public int? ExitCode { get; set; }
    /// <summary>Changes each time conmon starts a process for the container, so a late exit notice from an
    /// earlier run is told apart from the current one.</summary>
    public string? Generation { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The newest checkpoint taken of this container.</summary>
    public string? LastCheckpoint { get; set; }
    /// <summary>True while the upper layer is exactly what <see cref="LastCheckpoint"/> recorded (the container
    /// has not run since), so an in-place restore can use it as it is.</summary>
    public bool UpperMatchesLastCheckpoint { get; set; }
    /// <summary>"container/checkpoint" this container was last restored from.</summary>
    public string? RestoredFrom { get; set; }
    /// <summary>True while the overlay rootfs is mounted and runtime resources exist.</summary>
    public bool Prepared { get; set; }
}
