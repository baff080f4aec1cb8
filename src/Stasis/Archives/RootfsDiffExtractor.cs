using System.Formats.Tar;

namespace Stasis.Archives;

/// <summary>Interim extractor for rootfs-diff.tar (replaced by the safe extractor).</summary>
internal static class RootfsDiffExtractor
{
    public static Task ExtractAsync(Stream tar, string target, CancellationToken ct) =>
        TarFile.ExtractToDirectoryAsync(tar, target, overwriteFiles: true, ct);
}
