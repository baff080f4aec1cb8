namespace Stasis.Archives;

/// <summary>What an extraction read. <see cref="Sha256"/> and <see cref="Size"/> cover the whole decompressed
/// tar stream (image import uses them as the layer's diff id); <see cref="Sha256"/> is empty when
/// <see cref="TarExtractOptions.ComputeStreamDigest"/> was off.</summary>
internal sealed record TarExtractResult(
    string Sha256,
    long Size,
    int Entries,
    CompressionKind Compression,
    IReadOnlyDictionary<string, FileDigest>? Files)
{
    /// <summary>"sha256:" followed by <see cref="Sha256"/>.</summary>
    public string Digest => "sha256:" + Sha256;
}
