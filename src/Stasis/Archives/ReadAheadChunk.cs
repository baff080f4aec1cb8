namespace Stasis.Archives;

/// <summary>A pooled buffer <see cref="ReadAheadStream"/> filled, and how much of it.</summary>
internal sealed record ReadAheadChunk(byte[] Buffer, int Length);
