namespace Stasis.Criu.Images;

/// <summary>The cheap figures for <c>checkpoint ls</c>: read from inventory, pstree and pagemaps only.</summary>
/// <param name="MemoryPages">Private pages dumped for all processes (wherever stored).</param>
/// <param name="MemoryBytes">MemoryPages × page size.</param>
public sealed record CheckpointSummary(int Processes, ulong MemoryPages, ulong MemoryBytes);
