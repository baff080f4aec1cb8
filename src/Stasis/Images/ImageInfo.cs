namespace Stasis.Images;

/// <summary>An image in the store, as `image ls` / `image inspect` show it.</summary>
public sealed record ImageInfo
{
    /// <summary>sha256 hex of the image's configuration.</summary>
    public required string Id { get; init; }
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Layer digests (sha256 hex of each uncompressed layer tar), bottom first.</summary>
    public IReadOnlyList<string> Layers { get; init; } = [];
    public DateTimeOffset Created { get; init; }
    /// <summary>Bytes of all layers, uncompressed.</summary>
    public long Size { get; init; }
    public ImageConfig Config { get; init; } = new();
    /// <summary>Where the image came from (file imported), for the user's information.</summary>
    public string? Source { get; init; }
}
