namespace Stasis.Criu.Images;

/// <summary>The figures <c>checkpoint ls</c> shows, from inventory, pstree and pagemaps only (never pages files).</summary>
internal static class CheckpointSummarizer
{
    public static CheckpointSummary Summarize(CheckpointImages images)
    {
        ulong pages = 0;
        foreach (var p in images.Tree)
            pages += images.Pagemap((int)p.Pid)?.TotalPages ?? 0;
        return new CheckpointSummary(images.Tree.Count, pages, pages * (ulong)images.PageSize);
    }
}
