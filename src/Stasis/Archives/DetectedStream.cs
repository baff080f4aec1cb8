namespace Stasis.Archives;

/// <summary>A decompressed view of an input stream and the compression found in it. Disposing
/// <see cref="Stream"/> disposes the input unless it was opened with leaveOpen.</summary>
internal sealed record DetectedStream(Stream Stream, CompressionKind Kind);
