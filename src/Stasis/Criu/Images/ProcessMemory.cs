namespace Stasis.Criu.Images;

/// <summary>The memory of one process as dumped.</summary>
/// <param name="ResidentPages">Private pages that were resident when dumped (all pagemap entries, wherever stored).</param>
/// <param name="DumpedPages">Of those, the pages stored in this checkpoint's pages file.</param>
/// <param name="ParentPages">Of those, the pages left in the parent checkpoint (incremental dumps).</param>
/// <param name="LazyPages">Of those, the pages left for a lazy-pages server and not stored here.</param>
/// <param name="SharedPages">Pages of shared anonymous mappings (stored once for all sharers).</param>
/// <param name="SizeBytes">(ResidentPages + SharedPages) × PageSize.</param>
/// <param name="VirtualBytes">The sum of all mapping sizes.</param>
public sealed record ProcessMemory(
    long PageSize,
    ulong ResidentPages,
    ulong DumpedPages,
    ulong ParentPages,
    ulong LazyPages,
    ulong SharedPages,
    ulong SizeBytes,
    ulong VirtualBytes,
    ValueList<MemoryArea> Areas);
