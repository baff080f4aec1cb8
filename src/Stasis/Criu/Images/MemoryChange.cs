namespace Stasis.Criu.Images;

/// <summary>A process present in both checkpoints whose resident memory changed.</summary>
public sealed record MemoryChange(int Pid, string Command, ulong PagesBefore, ulong PagesAfter, long DeltaBytes);
