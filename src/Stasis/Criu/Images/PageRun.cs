namespace Stasis.Criu.Images;

/// <summary>One pagemap entry: <see cref="Pages"/> pages from <see cref="Address"/>, and where they are stored.</summary>
/// <param name="FileOffset">Byte offset in pages-N.img, or -1 when the pages are not in this checkpoint.</param>
internal readonly record struct PageRun(ulong Address, ulong Pages, PagemapFlags Flags, long FileOffset)
{
    public bool InFile => FileOffset >= 0;
}
