using System.Text.Json.Nodes;

namespace Stasis.Images;

/// <summary>The images of a docker-archive (`docker save`, `podman save`, `skopeo copy … docker-archive:`):
/// manifest.json lists each image's Config, RepoTags and Layers by member path. Layer paths may be links
/// ("&lt;id&gt;/layer.tar" → "../&lt;diff id&gt;.tar"). A config named by its digest, and any blobs/sha256/ member,
/// is checked against that digest; every layer against the config's rootfs.diff_ids.</summary>
internal static class DockerArchiveReader
{
    public const string ManifestFile = "manifest.json";

    public static bool IsDockerArchive(ImageArchive a) => a.TryGet(ManifestFile) is not null;

    public static IReadOnlyList<LoadableImage> Read(ImageArchive a)
    {
        if (a.ReadJson(ManifestFile, "docker-archive manifest") is not JsonArray entries || entries.Count == 0)
            throw StasisException.BadArchive("The docker-archive manifest.json lists no images.");
        var images = new List<LoadableImage>();
        foreach (var entry in entries)
        {
            if (entry is null) continue;
            var configPath = entry["Config"]?.GetValue<string>() ?? throw StasisException.BadArchive("An entry of manifest.json has no Config.");
            var config = Checked(a.Get(configPath, "image config"), "config");
            var layers = (entry["Layers"] as JsonArray ?? [])
                .Select(l => Checked(a.Get(l?.GetValue<string>() ?? "", "layer"), "layer")).ToList();
            var names = (entry["RepoTags"] as JsonArray ?? [])
                .Select(t => t?.GetValue<string>()).OfType<string>().Where(t => t.Length > 0)
                .Select(ImageStore.Normalize).Distinct().ToList();
            images.Add(LoadableImageBuilder.Build(names, config, layers));
        }
        return images;
    }

    /// <summary>Checks a member whose name is a digest: "&lt;hex&gt;.json" (a config, named by its sha256) or
    /// "blobs/sha256/&lt;hex&gt;". Layer tars named "&lt;hex&gt;.tar" carry their diff id, which the config check covers.</summary>
    private static ArchiveMember Checked(ArchiveMember m, string what)
    {
        var file = m.Name[(m.Name.LastIndexOf('/') + 1)..];
        if (m.Name.StartsWith("blobs/sha256/", StringComparison.Ordinal) && ImageDigests.IsSha256Hex(file))
            ImageDigests.Verify(m, file, what);
        else if (what == "config" && file.EndsWith(".json", StringComparison.Ordinal) && ImageDigests.IsSha256Hex(file[..^5]))
            ImageDigests.Verify(m, file[..^5], what);
        return m;
    }
}
