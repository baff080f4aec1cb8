using System.Formats.Tar;

namespace Stasis.Archives;

/// <summary>What a <see cref="TarEntryHandler"/> sees of one member, plus the one safe way to touch the tree.</summary>
internal sealed class TarEntryContext
{
    private readonly TarExtraction _extraction;

    internal TarEntryContext(TarExtraction extraction, TarEntry entry, string relativePath)
    {
        _extraction = extraction;
        Entry = entry;
        RelativePath = relativePath;
    }

    /// <summary>The member as read; its DataStream is valid only during the call.</summary>
    public TarEntry Entry { get; }

    /// <summary>The member's normalised path, '/'-separated, relative to the tree root ("" is the root).</summary>
    public string RelativePath { get; }

    /// <summary>The folder being filled; a temporary folder until the extraction succeeds.</summary>
    public string Root => _extraction.Root;

    /// <summary>Checks <paramref name="relativePath"/> like a member name (no climbing out, no symlinked parents),
    /// creates missing parent folders, removes a non-directory already at the path, and returns the full path.</summary>
    public string PrepareTarget(string relativePath) => _extraction.PrepareTarget(relativePath, Entry.Name);

    /// <summary>Returns the full path of an existing folder inside the tree, refusing symlinks anywhere on the way.</summary>
    public string ResolveDirectory(string relativePath) => _extraction.ResolveDirectory(relativePath, Entry.Name);
}
