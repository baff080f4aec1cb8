using System.Text.Json.Nodes;

namespace Stasis.Tests.Images;

/// <summary>An image for <see cref="ImageArchives"/>: uncompressed layer tars (bottom first), how to compress
/// their blobs, the config's "config" part and the names to record.</summary>
internal sealed record TestImage
{
    public required IReadOnlyList<byte[]> Layers { get; init; }
    public bool GzipLayers { get; init; }
    public JsonObject Config { get; init; } = new();
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>diff_ids to write instead of the true ones (null: the true ones).</summary>
    public IReadOnlyList<string>? DiffIds { get; init; }
    public string Created { get; init; } = "2024-05-06T07:08:09Z";
}
