namespace Stasis.Criu.Images;

/// <summary>The hits of a memory search, in process then address order.</summary>
/// <param name="Truncated">True when the search stopped at <see cref="MemorySearchQuery.MaxMatches"/>.</param>
/// <param name="BytesSearched">Bytes of dumped memory scanned.</param>
public sealed record MemorySearchResult(ValueList<MemoryMatch> Matches, bool Truncated, ulong BytesSearched);
