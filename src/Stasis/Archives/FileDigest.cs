namespace Stasis.Archives;

/// <summary>Size and lower-case hex sha256 of one regular file.</summary>
internal readonly record struct FileDigest(long Size, string Sha256);
