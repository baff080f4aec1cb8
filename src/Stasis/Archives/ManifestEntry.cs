namespace Stasis.Archives;

/// <summary>One line of stasis.manifest: a regular file's relative path, size and lower-case hex sha256.</summary>
internal sealed record ManifestEntry(string Path, long Size, string Sha256);
