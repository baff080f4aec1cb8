namespace Stasis.Volumes;

/// <summary>A named volume: a folder under volumes/&lt;name&gt;/_data that outlives containers.</summary>
public sealed record VolumeInfo
{
    public required string Name { get; init; }
    public DateTimeOffset Created { get; init; }
    /// <summary>The host folder containers see.</summary>
    public required string Mountpoint { get; init; }
    /// <summary>Containers that mount it (filled in when listed).</summary>
    public IReadOnlyList<string> UsedBy { get; init; } = [];
}
