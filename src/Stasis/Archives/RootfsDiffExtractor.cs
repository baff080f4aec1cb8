namespace Stasis.Archives;

/// <summary>Unpacks a checkpoint's rootfs-diff.tar into a new upper layer with rootfs symlink rules and no devices.</summary>
internal static class RootfsDiffExtractor
{
    public static void Extract(Stream tar, string target, CancellationToken ct) =>
        SafeTarExtractor.ExtractIntoEmpty(tar, target, new TarExtractOptions { ComputeStreamDigest = false }, ct);
}
