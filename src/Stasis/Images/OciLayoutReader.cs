using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Stasis.Images;

/// <summary>The images of an OCI image layout (oci-layout, index.json, blobs/sha256/…), every blob checked
/// against its digest and size. Names come from each index entry's annotations.</summary>
internal static class OciLayoutReader
{
    // Docker ≥ 25 writes the full name here and only the tag in ref.name.
    private const string ContainerdNameAnnotation = "io.containerd.image.name";

    public static bool IsLayout(ImageArchive a) => a.TryGet(OciMediaTypes.LayoutFile) is not null && a.TryGet("index.json") is not null;

    /// <param name="defaultRepository">Repository for a ref.name that is only a tag (umoci and `skopeo copy
    /// oci:DIR:TAG` write those); null leaves such images unnamed.</param>
    public static IReadOnlyList<LoadableImage> Read(ImageArchive a, string? defaultRepository)
    {
        var layout = a.ReadJson(OciMediaTypes.LayoutFile, "OCI layout marker");
        var version = layout["imageLayoutVersion"]?.GetValue<string>() ?? "";
        if (!version.StartsWith("1.", StringComparison.Ordinal))
            throw StasisException.BadArchive($"The OCI layout version '{version}' is not supported (1.x is).");
        var index = a.ReadJson("index.json", "OCI index");
        var images = new Dictionary<string, (JsonNode Manifest, List<string> Names)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var desc in Descriptors(index, "index.json"))
        {
            var (manifestHex, manifest) = ResolveManifest(a, desc);
            if (!images.TryGetValue(manifestHex, out var entry))
            {
                entry = (manifest, []);
                images[manifestHex] = entry;
                order.Add(manifestHex);
            }
            if (NameOf(desc, defaultRepository) is { } name && !entry.Names.Contains(name)) entry.Names.Add(name);
        }
        if (order.Count == 0) throw StasisException.BadArchive("The OCI index lists no images.");
        return order.Select(hex => ToImage(a, images[hex].Manifest, images[hex].Names)).ToList();
    }

    private static LoadableImage ToImage(ImageArchive a, JsonNode manifest, IReadOnlyList<string> names)
    {
        var config = Blob(a, manifest["config"] ?? throw StasisException.BadArchive("An image manifest has no config."), "config");
        var layers = (manifest["layers"] as JsonArray ?? []).Select(l => Blob(a, l ?? throw StasisException.BadArchive("An image manifest has an empty layer entry."), "layer")).ToList();
        return LoadableImageBuilder.Build(names, config, layers);
    }

    /// <summary>A manifest descriptor as it is, or the manifest for this machine from a nested (multi-platform) index.</summary>
    private static (string Hex, JsonNode Manifest) ResolveManifest(ImageArchive a, JsonNode desc)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            var mediaType = desc["mediaType"]?.GetValue<string>();
            var blob = Blob(a, desc, "manifest");
            var node = ImageArchive.ParseJson(blob, "manifest");
            var type = mediaType ?? node["mediaType"]?.GetValue<string>();
            if (type is not (OciMediaTypes.Index or OciMediaTypes.DockerManifestList) && node["manifests"] is null)
                return (blob.Sha256, node);
            var candidates = Descriptors(node, $"index {blob.Name}").ToList();
            desc = candidates.FirstOrDefault(IsThisPlatform) ?? candidates.FirstOrDefault(c => c["platform"] is null) ??
                throw StasisException.BadArchive($"The image index '{blob.Name}' has no image for linux/{Architecture()}.");
        }
        throw StasisException.BadArchive("The OCI index nests image indexes too deeply.");
    }

    private static bool IsThisPlatform(JsonNode desc) =>
        desc["platform"] is { } p && p["os"]?.GetValue<string>() == "linux" && p["architecture"]?.GetValue<string>() == Architecture();

    private static string Architecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        var other => other.ToString().ToLowerInvariant(),
    };

    private static IEnumerable<JsonNode> Descriptors(JsonNode index, string what) =>
        index["manifests"] is JsonArray list
            ? list.Select(d => d ?? throw StasisException.BadArchive($"The {what} has an empty manifest entry."))
            : throw StasisException.BadArchive($"The {what} has no \"manifests\" list.");

    private static string? NameOf(JsonNode desc, string? defaultRepository)
    {
        var annotations = desc["annotations"];
        var full = annotations?[ContainerdNameAnnotation]?.GetValue<string>();
        if (full is { Length: > 0 }) return ImageStore.Normalize(full);
        var refName = annotations?[OciMediaTypes.RefNameAnnotation]?.GetValue<string>();
        if (refName is not { Length: > 0 }) return null;
        if (refName.Contains('/') || refName.Contains(':')) return ImageStore.Normalize(refName);
        return defaultRepository is null ? null : $"{defaultRepository}:{refName}";
    }

    /// <summary>The blob a descriptor points to, checked against the descriptor's digest and size.</summary>
    private static ArchiveMember Blob(ImageArchive a, JsonNode desc, string what)
    {
        var hex = ImageDigests.Sha256Hex(desc["digest"]?.GetValue<string>(), what);
        var member = a.Get($"blobs/sha256/{hex}", $"{what} blob");
        ImageDigests.Verify(member, hex, what);
        if (desc["size"]?.GetValue<long>() is { } size && size != member.Size)
            throw StasisException.BadArchive($"The {what} blob sha256:{hex} has {member.Size} bytes, but its descriptor says {size}.");
        return member;
    }
}
