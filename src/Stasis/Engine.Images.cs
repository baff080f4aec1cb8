using Stasis.Images;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    /// <summary>Imports a flat rootfs tarball (plain, gzip or zstd) as image NAME, like `podman import`.</summary>
    public async Task<ImageInfo> ImportImageAsync(string tarball, string name, CancellationToken ct = default)
    {
        if (!File.Exists(tarball)) throw StasisException.NotFound($"no such file: {tarball}");
        await using var file = new FileStream(tarball, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await ImportImageAsync(file, name, Path.GetFullPath(tarball), ct).ConfigureAwait(false);
    }

    /// <summary>Imports a flat rootfs tar stream (e.g. stdin) as image NAME.</summary>
    public async Task<ImageInfo> ImportImageAsync(Stream tarball, string name, string? source, CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
            return await Images.ImportRootfsAsync(tarball, name, source, ct).ConfigureAwait(false);
    }

    public IReadOnlyList<ImageInfo> ListImages() => Images.List().OrderBy(i => i.Created).ToList();

    public ImageInfo InspectImage(string nameOrId) => Images.Resolve(nameOrId);

    /// <summary>Removes an image; refused while a container uses it. Naming one of several names of an image only
    /// removes that name, as Podman does.</summary>
    public async Task RemoveImageAsync(string nameOrId, CancellationToken ct = default)
    {
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
        {
            var image = Images.Resolve(nameOrId);
            var wanted = ImageStore.Normalize(nameOrId);
            if (image.Names.Count > 1 && image.Names.FirstOrDefault(n => n == wanted || n.EndsWith("/" + wanted, StringComparison.Ordinal)) is { } name)
            {
                Images.Save(image with { Names = image.Names.Where(n => n != name).ToList() });
                return;
            }
            var users = _containers.List().Where(c => c.ImageId == image.Id).Select(c => c.Name).ToList();
            if (users.Count > 0)
                throw StasisException.Conflict($"image {nameOrId} is in use by container(s) {string.Join(", ", users)}: remove them first");
            Images.Remove(image);
        }
    }
}
