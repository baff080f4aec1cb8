namespace Stasis.Checkpoints;

/// <summary>What a checkpoint saved of the container's files besides CRIU's images.</summary>
internal sealed record SavedFiles(bool DevShm, long DiffBytes, int Deleted, List<string> Volumes);
