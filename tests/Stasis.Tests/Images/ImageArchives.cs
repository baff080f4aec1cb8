using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stasis.Tests.Images;

/// <summary>Builds OCI layout archives and docker-archives in memory, with a hook to alter members after every
/// digest was computed (how damage and tampering are simulated).</summary>
internal static class ImageArchives
{
    public static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static byte[] ConfigJson(TestImage image) => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["created"] = image.Created,
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = image.Config.DeepClone(),
        ["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray((image.DiffIds ?? image.Layers.Select(l => "sha256:" + Sha(l)).ToList()).Select(d => (JsonNode)d).ToArray()),
        },
    });

    /// <summary>An OCI image layout tar: one index entry per name (ref.name annotation), blobs in sorted order.</summary>
    public static byte[] Oci(IEnumerable<TestImage> images, Action<Dictionary<string, byte[]>>? tamper = null,
        Func<string, JsonObject>? annotations = null)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["oci-layout"] = """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray(),
        };
        var index = new JsonArray();
        foreach (var image in images)
        {
            var layers = new JsonArray();
            foreach (var layer in image.Layers)
            {
                var blob = image.GzipLayers ? Gzip(layer) : layer;
                members["blobs/sha256/" + Sha(blob)] = blob;
                layers.Add(Descriptor(image.GzipLayers ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.oci.image.layer.v1.tar", blob));
            }
            var config = ConfigJson(image);
            members["blobs/sha256/" + Sha(config)] = config;
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
                ["layers"] = layers,
            });
            members["blobs/sha256/" + Sha(manifest)] = manifest;
            foreach (var name in image.Names.DefaultIfEmpty(null))
            {
                var d = Descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
                if (name is not null) d["annotations"] = annotations?.Invoke(name) ?? new JsonObject { ["org.opencontainers.image.ref.name"] = name };
                index.Add(d);
            }
        }
        members["index.json"] = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["schemaVersion"] = 2, ["manifests"] = index });
        tamper?.Invoke(members);
        return Tar(members.OrderBy(m => m.Key == "index.json" ? 1 : 0).ThenBy(m => m.Key, StringComparer.Ordinal), []);
    }

    /// <summary>A docker-archive as podman and skopeo write it: "&lt;diff id&gt;.tar" layers, "&lt;config digest&gt;.json",
    /// manifest.json last; with <paramref name="legacyFolders"/>, manifest.json names "&lt;n&gt;/layer.tar" symlinks instead.</summary>
    public static byte[] Docker(IEnumerable<TestImage> images, bool legacyFolders = false, Action<Dictionary<string, byte[]>>? tamper = null)
    {
        var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var links = new List<(string Name, string Target)>();
        var manifest = new JsonArray();
        foreach (var image in images)
        {
            var paths = new JsonArray();
            foreach (var layer in image.Layers)
            {
                var blob = image.GzipLayers ? Gzip(layer) : layer;
                var file = Sha(layer) + ".tar";
                members[file] = blob;
                if (legacyFolders)
                {
                    var folder = Sha(Encoding.UTF8.GetBytes("legacy" + file));
                    links.Add(($"{folder}/layer.tar", "../" + file));
                    paths.Add((JsonNode)$"{folder}/layer.tar");
                }
                else paths.Add((JsonNode)file);
            }
            var config = ConfigJson(image);
            members[Sha(config) + ".json"] = config;
            manifest.Add(new JsonObject
            {
                ["Config"] = Sha(config) + ".json",
                ["RepoTags"] = new JsonArray(image.Names.Select(n => (JsonNode)n).ToArray()),
                ["Layers"] = paths,
            });
        }
        members["manifest.json"] = JsonSerializer.SerializeToUtf8Bytes(manifest);
        tamper?.Invoke(members);
        return Tar(members.OrderBy(m => m.Key == "manifest.json" ? 1 : 0).ThenBy(m => m.Key, StringComparer.Ordinal), links);
    }

    private static JsonObject Descriptor(string mediaType, byte[] blob) => new()
    {
        ["mediaType"] = mediaType, ["digest"] = "sha256:" + Sha(blob), ["size"] = blob.Length,
    };

    private static byte[] Tar(IEnumerable<KeyValuePair<string, byte[]>> members, IEnumerable<(string Name, string Target)> links)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data) in members)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = (UnixFileMode)0x1A4 });
            foreach (var (name, target) in links)
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        }
        return ms.ToArray();
    }
}
