namespace Stasis.Archives;

/// <summary>What <see cref="TarDirectoryWriter"/> wrote: the member count and, when asked, each regular file's digest
/// (hard links share their first occurrence's).</summary>
internal sealed record TarWriteResult(int Entries, IReadOnlyDictionary<string, FileDigest>? Files);
