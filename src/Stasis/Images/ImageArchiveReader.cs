using System.Text.Json;

namespace Stasis.Images;

/// <summary>Tells the archive formats apart and returns the images inside, every digest checked.</summary>
internal static class ImageArchiveReader
{
    public static IReadOnlyList<LoadableImage> Read(ImageArchive a, string? defaultRepository)
    {
        try
        {
            // Docker ≥ 25 writes both an OCI layout and manifest.json; the layout is the richer of the two.
            if (OciLayoutReader.IsLayout(a)) return OciLayoutReader.Read(a, defaultRepository);
            if (DockerArchiveReader.IsDockerArchive(a)) return DockerArchiveReader.Read(a);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            // JsonNode.GetValue on a node of the wrong kind: the metadata does not have the expected shape.
            throw StasisException.BadArchive($"The image archive's metadata is malformed: {e.Message}", e);
        }
        if (a.TryGet("repositories") is not null)
            throw StasisException.BadArchive(
                "This is a docker-archive in the pre-2016 format (no manifest.json), which Stasis does not read; re-save it with a current docker, podman or skopeo.");
        throw StasisException.BadArchive(
            "This is not an image archive: it has neither an OCI image layout (oci-layout, index.json) nor a docker-archive manifest.json.");
    }
}
