namespace Stasis.Images;

/// <summary>Joins an image's config and layers once the archive format told which members they are, checking
/// that every layer's uncompressed content is what the config's rootfs.diff_ids promise.</summary>
internal static class LoadableImageBuilder
{
    public static LoadableImage Build(IReadOnlyList<string> names, ArchiveMember config, IReadOnlyList<ArchiveMember> layers)
    {
        var json = ImageArchive.ParseJson(config, "image config");
        var parsed = ImageConfigParser.Parse(json, $"image config '{config.Name}'");
        if (parsed.DiffIds.Count != layers.Count)
            throw StasisException.BadArchive(
                $"The image config '{config.Name}' lists {parsed.DiffIds.Count} layer(s) in rootfs.diff_ids, but the manifest has {layers.Count}.");
        var staged = new List<StagedLayer>(layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            var m = layers[i];
            if (m.Layer is null)
            {
                throw m.LayerError is { } e
                    ? StasisException.BadArchive($"The layer '{m.Name}' cannot be unpacked: {e.Message}", e)
                    : StasisException.BadArchive($"The layer '{m.Name}' is not a tar archive (plain, gzip or zstd).");
            }
            var expected = ImageDigests.Sha256Hex(parsed.DiffIds[i], $"diff id of layer {i + 1}");
            if (m.Layer.DiffSha256 != expected)
                throw StasisException.BadArchive(
                    $"The layer '{m.Name}' does not match the image config: its uncompressed content hashes to sha256:{m.Layer.DiffSha256}, " +
                    $"but rootfs.diff_ids says sha256:{expected}. Nothing was loaded.");
            staged.Add(m.Layer);
        }
        return new LoadableImage(names, config.Content!, config.Sha256, parsed, staged);
    }
}
