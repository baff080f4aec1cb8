namespace Stasis.Criu.Images;

/// <summary>A process being searched: its mapped pages file and the segments of memory stored in it.</summary>
internal sealed class MemorySearchProcess(int pid, string command, PagesMapping pages, MemorySearch.Segment[] segments)
{
    public int Pid { get; } = pid;
    public string Command { get; } = command;
    public PagesMapping Pages { get; } = pages;
    public MemorySearch.Segment[] Segments { get; } = segments;
}
