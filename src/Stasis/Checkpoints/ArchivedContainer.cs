using Stasis.Containers;

namespace Stasis.Checkpoints;

/// <summary>The container an unpacked archive describes: enough to create a new container that its CRIU images can
/// be restored into. <see cref="GeneratedFiles"/> are files another engine bind-mounted (Podman's /etc/hosts,
/// /etc/hostname, /run/.containerenv): CRIU needs a bind at each such place, so the importer makes them.</summary>
internal sealed record ArchivedContainer
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public List<string> Command { get; init; } = [];
    public List<string> Env { get; init; } = [];
    public string WorkingDir { get; init; } = "/";
    /// <summary>User spec the process ran as (as in the image config: NAME, UID or UID:GID); empty is root.</summary>
    public string User { get; init; } = "";
    public string Network { get; init; } = "none";
    public bool Interactive { get; init; }
    public List<VolumeMount> Mounts { get; init; } = [];
    /// <summary>Published ports as the archiving engine recorded them (Stasis's record; empty for Podman's).</summary>
    public List<Networking.PortMapping> Ports { get; init; } = [];
    public IReadOnlyList<(string Destination, string Content)> GeneratedFiles { get; init; } = [];
    /// <summary>"stasis" or "podman": who wrote the archive.</summary>
    public required string Engine { get; init; }
}
