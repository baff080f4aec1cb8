namespace Stasis.Criu.Images;

/// <summary>The figures <c>checkpoint ls</c> shows, from inventory, pstree and pagemaps only (never pages files).</summary>
internal static class CheckpointSummarizer
{
    public static CheckpointSummary Summarize(CheckpointImages images)
    {
        ulong pages = 0;
        var pids = images.Pids;
        foreach (var pid in pids)
            pages += images.Pagemap((int)pid)?.TotalPages ?? 0;
        return new CheckpointSummary(pids.Length, pages, pages * (ulong)images.PageSize);
    }
}
