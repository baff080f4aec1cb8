namespace Stasis.Archives;

/// <summary>How a stream is compressed; always detected from magic bytes, never from a file name.</summary>
public enum CompressionKind
{
    None,
    Gzip,
    Zstd,
}
