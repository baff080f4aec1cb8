namespace Stasis.Criu.Images;

/// <summary>Flags of a pagemap entry (CRIU's PE_*). Images without the flags field use in_parent instead.</summary>
[Flags]
internal enum PagemapFlags : uint
{
    None = 0,
    /// <summary>The pages live in the parent checkpoint (pre-dump / incremental).</summary>
    Parent = 1 << 0,
    /// <summary>The pages may be restored lazily (served by a page server).</summary>
    Lazy = 1 << 1,
    /// <summary>The pages are in this checkpoint's pages-N.img.</summary>
    Present = 1 << 2,
}
