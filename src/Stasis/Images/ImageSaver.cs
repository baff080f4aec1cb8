using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stasis.Archives;

namespace Stasis.Images;

/// <summary>Writes images as an OCI image layout tar ("oci-archive"), which `stasis image load`, `skopeo` and
/// `podman load` read. Layers are re-packed from the unpacked store (whiteouts back in OCI form), so their diff
/// ids are those of the new tars and the config's rootfs.diff_ids are rewritten to match; everything else in an
/// image's original config is kept.</summary>
internal sealed class ImageSaver(ImageStore store, string tmpRoot)
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public async Task SaveAsync(IReadOnlyList<(ImageInfo Image, IReadOnlyList<string> Names)> images, Stream output,
        CompressionKind layerCompression, CancellationToken ct)
    {
        var work = Path.Combine(tmpRoot, "save-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var blobs = new Dictionary<string, SavedBlob>(StringComparer.Ordinal);
            var layerBlobs = new Dictionary<string, (SavedBlob Blob, string DiffId)>(StringComparer.Ordinal);
            var index = new JsonArray();
            foreach (var (image, names) in images)
            {
                var layers = new List<(SavedBlob Blob, string DiffId)>();
                foreach (var digest in image.Layers)
                {
                    if (!layerBlobs.TryGetValue(digest, out var layer))
                    {
                        layer = await WriteLayerAsync(digest, work, layerCompression, ct).ConfigureAwait(false);
                        layerBlobs[digest] = layer;
                        blobs[layer.Blob.Sha256] = layer.Blob;
                    }
                    layers.Add(layer);
                }
                var config = Json(ConfigFor(image, layers.Select(l => l.DiffId)));
                blobs[config.Sha256] = config;
                var manifest = Json(new JsonObject
                {
                    ["schemaVersion"] = 2,
                    ["mediaType"] = OciMediaTypes.Manifest,
                    ["config"] = Descriptor(OciMediaTypes.Config, config),
                    ["layers"] = new JsonArray(layers.Select(l => (JsonNode)Descriptor(LayerMediaType(layerCompression), l.Blob)).ToArray()),
                });
                blobs[manifest.Sha256] = manifest;
                // One index entry per name, as podman and skopeo write them; an unnamed image gets one without.
                foreach (var name in names.DefaultIfEmpty(null))
                {
                    var d = Descriptor(OciMediaTypes.Manifest, manifest);
                    if (name is not null) d["annotations"] = new JsonObject { [OciMediaTypes.RefNameAnnotation] = name };
                    index.Add(d);
                }
            }
            var indexJson = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciMediaTypes.Index, ["manifests"] = index });
            var layoutJson = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["imageLayoutVersion"] = OciMediaTypes.LayoutVersion });

            await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await WriteBytesAsync(writer, OciMediaTypes.LayoutFile, layoutJson, ct).ConfigureAwait(false);
            await WriteBytesAsync(writer, "index.json", indexJson, ct).ConfigureAwait(false);
            await WriteDirAsync(writer, "blobs/", ct).ConfigureAwait(false);
            await WriteDirAsync(writer, "blobs/sha256/", ct).ConfigureAwait(false);
            // Metadata first, so a streaming reader knows the images before their layers arrive.
            foreach (var blob in blobs.Values.OrderBy(b => b.File is null ? 0 : 1))
            {
                var name = "blobs/sha256/" + blob.Sha256;
                if (blob.Content is not null)
                {
                    await WriteBytesAsync(writer, name, blob.Content, ct).ConfigureAwait(false);
                    continue;
                }
                await using var data = new FileStream(blob.File!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = FileMode0644, ModificationTime = Epoch, DataStream = data }, ct)
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            TreeDeleter.Delete(work);
        }
    }

    private const UnixFileMode FileMode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Tars one stored layer into a temp file, hashing the tar (diff id) and the blob as written.</summary>
    private async Task<(SavedBlob Blob, string DiffId)> WriteLayerAsync(string digest, string work, CompressionKind compression, CancellationToken ct)
    {
        var diff = store.LayerDiff(digest);
        if (!Directory.Exists(diff)) throw StasisException.NotFound($"The layer {digest} is missing from the store ({diff}).");
        var file = Path.Combine(work, digest);
        await using var fs = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await using var blobHash = new HashingStream(fs, leaveOpen: true);
        string diffId;
        await using (var compressor = Compression.OpenCompressing(blobHash, compression, leaveOpen: true))
        await using (var tarHash = new HashingStream(compressor, leaveOpen: true))
        {
            await TarDirectoryWriter.WriteAsync(diff, tarHash, new TarWriteOptions { OciWhiteouts = true }, ct).ConfigureAwait(false);
            await tarHash.FlushAsync(ct).ConfigureAwait(false);
            diffId = tarHash.GetSha256Hex();
        }
        await blobHash.FlushAsync(ct).ConfigureAwait(false);
        return (new SavedBlob(blobHash.GetSha256Hex(), blobHash.BytesHashed, null, file), diffId);
    }

    /// <summary>The image's original config (or one made from what the store knows) with the new diff ids.</summary>
    private JsonObject ConfigFor(ImageInfo image, IEnumerable<string> diffIds)
    {
        var file = store.ConfigFile(image.Id);
        var config = File.Exists(file) && JsonNode.Parse(File.ReadAllBytes(file)) is JsonObject stored ? stored : Synthesize(image);
        config["rootfs"] = new JsonObject
        {
            ["type"] = "layers",
            ["diff_ids"] = new JsonArray(diffIds.Select(d => (JsonNode)(ImageDigests.Sha256Prefix + d)).ToArray()),
        };
        return config;
    }

    private static JsonObject Synthesize(ImageInfo image)
    {
        var c = image.Config;
        var config = new JsonObject();
        if (c.User.Length > 0) config["User"] = c.User;
        if (c.ExposedPorts.Count > 0) config["ExposedPorts"] = new JsonObject(c.ExposedPorts.Select(p => KeyValuePair.Create(p, (JsonNode?)new JsonObject())));
        if (c.Env.Count > 0) config["Env"] = Strings(c.Env);
        if (c.Entrypoint.Count > 0) config["Entrypoint"] = Strings(c.Entrypoint);
        if (c.Cmd.Count > 0) config["Cmd"] = Strings(c.Cmd);
        if (c.WorkingDir.Length > 0) config["WorkingDir"] = c.WorkingDir;
        return new JsonObject
        {
            ["created"] = image.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = config,
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static SavedBlob Json(JsonObject node)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(node);
        return new SavedBlob(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, bytes, null);
    }

    private static JsonObject Descriptor(string mediaType, SavedBlob blob) => new()
    {
        ["mediaType"] = mediaType, ["digest"] = ImageDigests.Sha256Prefix + blob.Sha256, ["size"] = blob.Size,
    };

    private static string LayerMediaType(CompressionKind kind) => kind switch
    {
        CompressionKind.Gzip => OciMediaTypes.LayerGzip,
        CompressionKind.Zstd => OciMediaTypes.LayerZstd,
        _ => OciMediaTypes.Layer,
    };

    private static Task WriteBytesAsync(TarWriter writer, string name, byte[] content, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = FileMode0644, ModificationTime = Epoch, DataStream = new MemoryStream(content, writable: false),
        }, ct);

    private static Task WriteDirAsync(TarWriter writer, string name, CancellationToken ct) =>
        writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = FileMode0644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, ModificationTime = Epoch,
        }, ct);
}
