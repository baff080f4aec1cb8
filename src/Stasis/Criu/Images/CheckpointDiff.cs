using System.Text.Json.Serialization;

namespace Stasis.Criu.Images;

/// <summary>What changed from one checkpoint to another (usually of the same container).</summary>
public sealed record CheckpointDiff(
    string Before,
    string After,
    ValueList<ProcessRef> ProcessesStarted,
    ValueList<ProcessRef> ProcessesEnded,
    ValueList<MemoryChange> MemoryChanges,
    ValueList<FileChange> FilesOpened,
    ValueList<FileChange> FilesClosed,
    ValueList<CheckpointSocket> SocketsAdded,
    ValueList<CheckpointSocket> SocketsRemoved)
{
    [JsonIgnore]
    public bool IsEmpty => ProcessesStarted.Count == 0 && ProcessesEnded.Count == 0 && MemoryChanges.Count == 0
        && FilesOpened.Count == 0 && FilesClosed.Count == 0 && SocketsAdded.Count == 0 && SocketsRemoved.Count == 0;
}
