using System.IO.Compression;

namespace Stasis.Archives;

/// <summary>Compression detection (by magic bytes) and the compressing/decompressing stream factories.</summary>
internal static class Compression
{
    /// <summary>Bytes needed by <see cref="Detect"/>.</summary>
    public const int MagicLength = 4;

    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    /// <summary>Detects the compression from the first bytes of a stream; anything unknown is None.</summary>
    public static CompressionKind Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(ZstdMagic)) return CompressionKind.Zstd;
        if (header.StartsWith(GzipMagic)) return CompressionKind.Gzip;
        return CompressionKind.None;
    }

    /// <summary>Peeks at the start of <paramref name="input"/> (which need not be seekable) and returns a stream of
    /// the decompressed content; the peeked bytes are not lost.</summary>
    public static Task<DetectedStream> OpenDecompressingAsync(Stream input, CancellationToken ct) =>
        OpenDecompressingAsync(input, leaveOpen: false, ct);

    /// <inheritdoc cref="OpenDecompressingAsync(Stream, CancellationToken)"/>
    public static async Task<DetectedStream> OpenDecompressingAsync(Stream input, bool leaveOpen, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var magic = new byte[MagicLength];
        var got = await input.ReadAtLeastAsync(magic, MagicLength, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var kind = Detect(magic.AsSpan(0, got));
        Stream replay = new PrefixedReadStream(magic.AsMemory(0, got), input, leaveOpen);
        return new DetectedStream(OpenDecompressing(replay, kind), kind);
    }

    /// <summary>Like <see cref="OpenDecompressingAsync(Stream, bool, CancellationToken)"/>, reading the magic synchronously.</summary>
    public static DetectedStream DetectAndOpen(Stream input, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        var magic = new byte[MagicLength];
        var got = input.ReadAtLeast(magic, MagicLength, throwOnEndOfStream: false);
        var kind = Detect(magic.AsSpan(0, got));
        Stream replay = new PrefixedReadStream(magic.AsMemory(0, got), input, leaveOpen);
        return new DetectedStream(OpenDecompressing(replay, kind), kind);
    }

    /// <summary>A stream that decompresses <paramref name="input"/> as <paramref name="kind"/>; disposing it disposes the input.</summary>
    public static Stream OpenDecompressing(Stream input, CompressionKind kind, bool leaveOpen = false) => kind switch
    {
        CompressionKind.None => leaveOpen ? new NonClosingStream(input) : input,
        CompressionKind.Gzip => new GZipStream(input, CompressionMode.Decompress, leaveOpen),
        CompressionKind.Zstd => new ZstdDecompressStream(input, leaveOpen),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A write-only stream that compresses into <paramref name="output"/>. Dispose it to finish the
    /// stream. Level 0 means the kind's default (zstd 3, gzip 6); zstd uses every core.</summary>
    public static Stream OpenCompressing(Stream output, CompressionKind kind, int level = default, bool leaveOpen = false) => kind switch
    {
        CompressionKind.None => leaveOpen ? new NonClosingStream(output) : output,
        CompressionKind.Gzip => new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level == 0 ? 6 : level }, leaveOpen),
        CompressionKind.Zstd => new ZstdCompressStream(output, level == 0 ? ZstdCompressStream.DefaultLevel : level, leaveOpen: leaveOpen),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
