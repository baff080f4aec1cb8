using Stasis.Checkpoints;
using Stasis.Criu.Images;

namespace Stasis;

/// <summary>Looking inside checkpoints: process tree, files, sockets, mounts, memory, CRIU statistics, memory search
/// and diffs. Reading never changes a checkpoint. An archive (<c>inspect --archive FILE</c>) is inspected by unpacking
/// it into a temporary folder and passing that folder to the *Directory methods; the archive code owns that step.</summary>
public sealed partial class Engine
{
    /// <summary>Inspects a named checkpoint of a container.</summary>
    public Task<CheckpointInspection> InspectCheckpointAsync(string container, string checkpoint, InspectOptions options, CancellationToken ct = default)
        => InspectCheckpointDirectoryAsync(ResolveCheckpointDirectory(container, checkpoint), options, ct);

    /// <summary>Inspects a checkpoint folder: one holding a <c>checkpoint/</c> folder of CRIU images (the layout of
    /// named checkpoints and unpacked archives), or a CRIU images folder itself.</summary>
    public Task<CheckpointInspection> InspectCheckpointDirectoryAsync(string folder, InspectOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Task.Run(() => CheckpointInspector.Inspect(OpenCheckpointImages(folder), options, ct), ct);
    }

    /// <summary>Searches the dumped memory of a named checkpoint for text or a regular expression.</summary>
    public Task<MemorySearchResult> MemSearchAsync(string container, string checkpoint, MemorySearchQuery query, CancellationToken ct = default)
        => MemSearchDirectoryAsync(ResolveCheckpointDirectory(container, checkpoint), query, ct);

    /// <summary>Searches the dumped memory of a checkpoint folder (see <see cref="InspectCheckpointDirectoryAsync"/>).</summary>
    public Task<MemorySearchResult> MemSearchDirectoryAsync(string folder, MemorySearchQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.Run(() => MemSearchDirectory(folder, query, ct), ct);
    }

    /// <summary><see cref="MemSearchAsync"/> on the calling thread, which becomes one of the search's workers: the CLI
    /// starts no thread-pool work and no async machinery for it.</summary>
    internal MemorySearchResult MemSearch(string container, string checkpoint, MemorySearchQuery query, CancellationToken ct)
        => MemSearchDirectory(ResolveCheckpointDirectory(container, checkpoint), query, ct);

    /// <summary><see cref="MemSearchDirectoryAsync"/> on the calling thread.</summary>
    internal static MemorySearchResult MemSearchDirectory(string folder, MemorySearchQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return MemorySearch.Search(OpenCheckpointImages(folder), query, ct);
    }

    /// <summary>What changed between two named checkpoints of one container.</summary>
    public Task<CheckpointDiff> DiffCheckpointsAsync(string container, string before, string after, CancellationToken ct = default)
        => DiffCheckpointDirectoriesAsync(ResolveCheckpointDirectory(container, before), ResolveCheckpointDirectory(container, after), ct);

    /// <summary>What changed between two checkpoint folders.</summary>
    public Task<CheckpointDiff> DiffCheckpointDirectoriesAsync(string before, string after, CancellationToken ct = default)
        => Task.Run(() => CheckpointDiffer.Diff(OpenCheckpointImages(before), OpenCheckpointImages(after), ct), ct);

    /// <summary>Process count and dumped memory of a checkpoint folder, cheaply (for <c>checkpoint ls</c>): reads
    /// inventory, pstree and pagemaps only.</summary>
    public CheckpointSummary SummarizeCheckpoint(string folder) => CheckpointSummarizer.Summarize(OpenCheckpointImages(folder));

    /// <summary>The CRIU images of a checkpoint folder: its <c>checkpoint/</c> member, or the folder itself when it
    /// is already an images folder.</summary>
    internal static CheckpointImages OpenCheckpointImages(string folder)
    {
        var images = Path.Combine(folder, CheckpointLayout.CriuImages);
        if (!Directory.Exists(images) && File.Exists(Path.Combine(folder, "inventory.img")))
            images = folder;
        if (!Directory.Exists(images))
            throw StasisException.NotFound(Directory.Exists(folder)
                ? $"{folder} holds no CRIU images (no {CheckpointLayout.CriuImages}/ folder)"
                : $"checkpoint folder {folder} does not exist");
        return CheckpointImages.Open(images);
    }
}
