namespace Stasis.Archives;

/// <summary>Size and lower-case hex sha256 of one regular file.</summary>
internal sealed record FileDigest(long Size, string Sha256);
