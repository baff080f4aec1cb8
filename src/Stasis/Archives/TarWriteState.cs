namespace Stasis.Archives;

/// <summary>Bookkeeping of one <see cref="TarDirectoryWriter"/> run.</summary>
internal sealed class TarWriteState(string root, TarWriteOptions options)
{
    public string Root { get; } = root;
    public TarWriteOptions Options { get; } = options;
    /// <summary>First archived path of every multiply-linked inode, keyed by device and inode.</summary>
    public Dictionary<(ulong Dev, ulong Inode), string> FirstLinks { get; } = [];
    public Dictionary<string, FileDigest>? Digests { get; } = options.ComputeFileDigests ? new(StringComparer.Ordinal) : null;
    public int Entries { get; set; }
}
