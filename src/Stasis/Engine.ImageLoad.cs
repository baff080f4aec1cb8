using System.Text;
using Stasis.Archives;
using Stasis.Images;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    /// <summary>Loads every image of an OCI image layout archive or a docker-archive (the archive itself plain,
    /// gzip or zstd; detected from its bytes), like `podman load`. Every blob and layer digest is checked; a
    /// mismatch loads nothing. A ref.name annotation that is only a tag is named after the file ("NAME.tar" with
    /// tag "v1" becomes "name:v1").</summary>
    public async Task<IReadOnlyList<ImageInfo>> LoadImageAsync(string archive, CancellationToken ct = default)
    {
        if (!File.Exists(archive)) throw StasisException.NotFound($"no such file: {archive}");
        await using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        return await LoadImageAsync(file, Path.GetFullPath(archive), DefaultRepository(archive), ct).ConfigureAwait(false);
    }

    /// <summary>Loads the images of an archive read from a stream (e.g. stdin). <paramref name="defaultRepository"/>
    /// names images whose OCI ref.name is only a tag; without it they are loaded unnamed (use their id).</summary>
    public async Task<IReadOnlyList<ImageInfo>> LoadImageAsync(Stream archive, string? source, string? defaultRepository = null, CancellationToken ct = default)
    {
        // Reading and unpacking happen in a private staging folder without the store lock; only the final
        // moves into the store take it.
        using var staged = await ImageArchiveScanner.ScanAsync(archive, Path.Combine(_paths.Tmp, "load-" + Guid.NewGuid().ToString("N")), ct)
            .ConfigureAwait(false);
        var images = ImageArchiveReader.Read(staged, defaultRepository);
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
            return Images.AddLoaded(images, source);
    }

    /// <summary>Saves images (names or ids) as one OCI image layout archive at <paramref name="path"/>, written
    /// aside and renamed into place, so a failure leaves no partial file.</summary>
    public async Task SaveImageAsync(IReadOnlyList<string> images, string path, CompressionKind layerCompression = CompressionKind.None,
        CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw StasisException.NotFound($"the folder {dir} does not exist");
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
                await SaveImageAsync(images, file, layerCompression, ct).ConfigureAwait(false);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes images (names or ids) as one OCI image layout tar to a stream (e.g. stdout).</summary>
    public async Task SaveImageAsync(IReadOnlyList<string> images, Stream output, CompressionKind layerCompression = CompressionKind.None,
        CancellationToken ct = default)
    {
        if (images.Count == 0) throw StasisException.Invalid("name at least one image to save");
        // The store lock keeps the layers from being removed while they are read.
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
        {
            var selected = images.Select(reference =>
            {
                var image = Images.Resolve(reference);
                var wanted = ImageStore.Normalize(reference);
                var byName = image.Names.Where(n => n == wanted || n.EndsWith("/" + wanted, StringComparison.Ordinal)).Take(1).ToList();
                return (image, (IReadOnlyList<string>)(byName.Count > 0 ? byName : image.Names));
            }).ToList();
            await new ImageSaver(Images, _paths.Tmp).SaveAsync(selected, output, layerCompression, ct).ConfigureAwait(false);
        }
    }

    /// <summary>"web-app.tar.gz" → "web-app": lower-case letters, digits, '.', '_', '-' only; null when nothing is left.</summary>
    internal static string? DefaultRepository(string archivePath)
    {
        var name = Path.GetFileName(archivePath).ToLowerInvariant();
        foreach (var ext in new[] { ".gz", ".zst", ".tgz", ".tar", ".oci" })
            if (name.EndsWith(ext, StringComparison.Ordinal)) name = name[..^ext.Length];
        var sb = new StringBuilder();
        foreach (var c in name) sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' ? c : '-');
        var result = sb.ToString().Trim('-', '.', '_');
        return result.Length == 0 ? null : result;
    }
}
