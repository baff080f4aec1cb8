using System.Security.Cryptography;
using System.Text.Json;
using Stasis.Archives;
using Stasis.Util;

namespace Stasis.Images;

/// <summary>Images (images/&lt;id&gt;/image.json) and their layers, unpacked once per digest (layers/&lt;digest&gt;/diff).</summary>
internal sealed class ImageStore(StorePaths paths, ILayerUnpacker unpacker)
{
    public const string DefaultTag = "latest";

    public string LayerDiff(string digest) => Path.Combine(paths.Layer(digest), "diff");

    public IEnumerable<ImageInfo> List()
    {
        if (!Directory.Exists(paths.Images)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(paths.Images))
        {
            var file = Path.Combine(dir, "image.json");
            if (!File.Exists(file)) continue;
            ImageInfo? img;
            try { img = ImageInfoJson.Parse(File.ReadAllBytes(file)); }
            catch (JsonException) { continue; }
            if (img is not null) yield return img;
        }
    }

    /// <summary>"busybox" means "busybox:latest"; an id or a unique id prefix (≥ 3 characters) also works.</summary>
    public static string Normalize(string name)
    {
        var lastSlash = name.LastIndexOf('/');
        return name.IndexOf(':', lastSlash + 1) >= 0 ? name : $"{name}:{DefaultTag}";
    }

    public ImageInfo? TryResolve(string nameOrId)
    {
        var all = List().ToList();
        var normalized = Normalize(nameOrId);
        var byName = all.FirstOrDefault(i => i.Names.Contains(normalized)) ??
                     all.FirstOrDefault(i => i.Names.Any(n => n.EndsWith("/" + normalized, StringComparison.Ordinal)));
        if (byName is not null) return byName;
        var hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        var byId = all.Where(i => i.Id.StartsWith(hex, StringComparison.Ordinal)).ToList();
        return hex.Length >= 3 && byId.Count == 1 ? byId[0] : null;
    }

    public ImageInfo Resolve(string nameOrId) =>
        TryResolve(nameOrId) ?? throw StasisException.NotFound(
            $"no such image: {nameOrId} (load it with `stasis image import ROOTFS.tar {nameOrId}` or `stasis image load -i FILE`)");

    /// <summary>Imports a flat rootfs tarball (plain, gzip or zstd; detected from its bytes) as a one-layer image.</summary>
    public async Task<ImageInfo> ImportRootfsAsync(Stream tarball, string name, string? source, CancellationToken ct)
    {
        ValidateReference(name);
        var layer = await AddLayerAsync(tarball, ct).ConfigureAwait(false);
        var config = new ImageConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] };
        return Commit(Normalize(name), [layer], config, DateTimeOffset.UtcNow, source);
    }

    /// <summary>Unpacks one layer into the store (once per digest) and returns its record.</summary>
    public async Task<LayerInfo> AddLayerAsync(Stream tar, CancellationToken ct)
    {
        Directory.CreateDirectory(paths.Tmp);
        Directory.CreateDirectory(paths.Layers);
        var staging = Path.Combine(paths.Tmp, "layer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            var (digest, size, entries) = await unpacker.UnpackAsync(tar, Path.Combine(staging, "diff"), ct).ConfigureAwait(false);
            var target = paths.Layer(digest);
            var info = new LayerInfo(digest, size, entries, DateTimeOffset.UtcNow);
            if (Directory.Exists(target) && File.Exists(Path.Combine(target, "layer.json")))
                return ImageInfoJson.ParseLayer(File.ReadAllBytes(Path.Combine(target, "layer.json"))) ?? info;
            AtomicFile.WriteAllBytes(Path.Combine(staging, "layer.json"), ImageInfoJson.ToUtf8Bytes(info));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true); // an earlier, unfinished unpack
            Directory.Move(staging, target);
            return info;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Records an image over stored layers and gives it the name (taking it from any other image).</summary>
    public ImageInfo Commit(string name, IReadOnlyList<LayerInfo> layers, ImageConfig config, DateTimeOffset created, string? source)
    {
        // The id hashes this exact text (the codec's bytes are ImageJsonContext's; a test holds them to it).
        var canonical = ImageInfoJson.ToUtf8Bytes(new ImageInfo
        {
            Id = "", Layers = layers.Select(l => l.Digest).ToList(), Created = created, Config = config,
        });
        var id = Convert.ToHexStringLower(SHA256.HashData(canonical));
        return Commit(id, [name], layers, config, created, source);
    }

    /// <summary>Records image <paramref name="id"/> with the names added to those it has (taking each from any other image).</summary>
    public ImageInfo Commit(string id, IReadOnlyList<string> names, IReadOnlyList<LayerInfo> layers, ImageConfig config, DateTimeOffset created, string? source)
    {
        var existing = List().FirstOrDefault(i => i.Id == id);
        var image = new ImageInfo
        {
            Id = id,
            Names = (existing?.Names ?? []).Concat(names).Distinct().ToList(),
            Layers = layers.Select(l => l.Digest).ToList(),
            Created = created,
            Size = layers.Sum(l => l.Size),
            Config = config,
            Source = source ?? existing?.Source,
        };
        foreach (var other in List().Where(i => i.Id != id && i.Names.Intersect(names).Any()))
            Save(other with { Names = other.Names.Except(names).ToList() });
        Save(image);
        return image;
    }

    /// <summary>The image's original config JSON (kept for images loaded from archives, so a save carries it on).</summary>
    public string ConfigFile(string id) => Path.Combine(paths.Image(id), "config.json");

    /// <summary>Puts loaded images in the store: each staged layer is moved in unless its diff id is already
    /// there (so a layer shared by images is kept once), then the images are recorded. On failure, every
    /// layer and image this call added is removed again.</summary>
    public IReadOnlyList<ImageInfo> AddLoaded(IReadOnlyList<LoadableImage> images, string? source)
    {
        var addedLayers = new List<string>();
        var addedImages = new List<string>();
        try
        {
            var result = new List<ImageInfo>();
            foreach (var img in images)
            {
                var layers = new List<LayerInfo>();
                foreach (var staged in img.Layers)
                {
                    if (AdoptLayer(staged, out var info)) addedLayers.Add(staged.DiffSha256);
                    layers.Add(info);
                }
                var id = img.ConfigSha256;
                if (!File.Exists(Path.Combine(paths.Image(id), "image.json"))) addedImages.Add(id);
                AtomicFile.WriteAllBytes(ConfigFile(id), img.ConfigJson);
                result.Add(Commit(id, img.Names, layers, img.Config.Config, img.Config.Created ?? DateTimeOffset.UtcNow, source));
            }
            return result;
        }
        catch
        {
            foreach (var id in addedImages) TreeDeleter.Delete(paths.Image(id));
            foreach (var digest in addedLayers) TreeDeleter.Delete(paths.Layer(digest));
            throw;
        }
    }

    /// <summary>Moves a staged layer to layers/&lt;diff id&gt; unless it is already stored; true when moved.</summary>
    private bool AdoptLayer(StagedLayer staged, out LayerInfo info)
    {
        var target = paths.Layer(staged.DiffSha256);
        var record = Path.Combine(target, "layer.json");
        if (Directory.Exists(target) && File.Exists(record) &&
            ImageInfoJson.ParseLayer(File.ReadAllBytes(record)) is { } stored)
        {
            info = stored;
            return false;
        }
        info = new LayerInfo(staged.DiffSha256, staged.DiffSize, staged.Entries, DateTimeOffset.UtcNow);
        AtomicFile.WriteAllBytes(Path.Combine(staged.Dir, "layer.json"), ImageInfoJson.ToUtf8Bytes(info));
        Directory.CreateDirectory(paths.Layers);
        TreeDeleter.Delete(target); // an earlier, unfinished one
        Directory.Move(staged.Dir, target);
        return true;
    }

    public void Save(ImageInfo image) =>
        AtomicFile.WriteAllBytes(Path.Combine(paths.Image(image.Id), "image.json"),
            ImageInfoJson.ToUtf8Bytes(image));

    /// <summary>Removes an image and every layer no other image uses.</summary>
    public void Remove(ImageInfo image)
    {
        Directory.Delete(paths.Image(image.Id), recursive: true);
        var used = List().SelectMany(i => i.Layers).ToHashSet();
        foreach (var layer in image.Layers.Where(l => !used.Contains(l)))
        {
            var dir = paths.Layer(layer);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static void ValidateReference(string name)
    {
        if (name.Length == 0 || name.Length > 255 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsUpper(c)) ||
            name.StartsWith('-') || name.Contains(".."))
            throw StasisException.Invalid($"invalid image name '{name}': use lower-case letters, digits, '.', '_', '-', '/' and an optional ':tag'");
    }
}
