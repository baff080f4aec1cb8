namespace Stasis.Archives;

/// <summary>Bookkeeping of one <see cref="TarDirectoryWriter"/> run.</summary>
internal sealed class TarWriteState(string root, TarWriteOptions options)
{
    public string Root { get; } = root;
    public TarWriteOptions Options { get; } = options;
    /// <summary>First archived path of every multiply-linked inode, keyed by "device:inode" (a string key: a
    /// dictionary over a value-type key is one more generic instantiation to JIT on every call).</summary>
    public Dictionary<string, string> FirstLinks { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, FileDigest>? Digests { get; } = options.ComputeFileDigests ? new(StringComparer.Ordinal) : null;
    public int Entries { get; set; }
}
