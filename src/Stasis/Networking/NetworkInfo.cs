namespace Stasis.Networking;

/// <summary>A bridge network as `network ls` and `network inspect` show it.</summary>
public sealed record NetworkInfo
{
    public required string Name { get; init; }
    /// <summary>The Linux bridge the containers' veths join.</summary>
    public required string Bridge { get; init; }
    public required string Subnet { get; init; }
    public required string Gateway { get; init; }
    /// <summary>True for the network Stasis provides out of the box (it cannot be removed).</summary>
    public bool IsDefault { get; init; }
    /// <summary>The CNI configuration list the network is stored as.</summary>
    public required string ConfigPath { get; init; }
    /// <summary>Names of the containers attached to (or configured for) this network.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];
}
