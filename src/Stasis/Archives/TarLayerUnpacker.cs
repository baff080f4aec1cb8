namespace Stasis.Archives;

/// <summary>Unpacks a layer (plain, gzip or zstd tar, detected from its bytes) with the safe extractor; the
/// digest is the sha256 of the uncompressed tar, as OCI diff ids are.</summary>
internal sealed class TarLayerUnpacker : Images.ILayerUnpacker
{
    public async Task<(string Digest, long Size, int Entries)> UnpackAsync(Stream tar, string targetDir, CancellationToken ct)
    {
        var r = await SafeTarExtractor.ExtractAsync(tar, targetDir, new TarExtractOptions { AllowDevices = true }, ct).ConfigureAwait(false);
        return (r.Sha256, r.Size, r.Entries);
    }
}
