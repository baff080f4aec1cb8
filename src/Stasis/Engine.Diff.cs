using Stasis.Containers;
using Stasis.Interop;

namespace Stasis;

public sealed partial class Engine
{
    // Mount targets and kernel trees: never part of a container's own changes.
    private static readonly string[] DiffExcluded = ["proc", "sys", "dev", "run"];

    /// <summary>What the container changed compared to its image, like `podman diff`: every path in the overlay's
    /// upper layer is added (A) or changed (C) depending on whether an image layer has it; whiteouts are deleted (D).</summary>
    public async Task<IReadOnlyList<RootfsChange>> DiffAsync(string container, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            var image = Images.Resolve(rec.ImageId);
            var lowers = image.Layers.Reverse().Select(Images.LayerDiff).ToList();
            var upper = _paths.Upper(rec.Id);
            var changes = new List<RootfsChange>();
            if (Directory.Exists(upper)) Walk(upper, "", lowers, changes, ct);
            return changes;
        }
    }

    private static void Walk(string dir, string rel, List<string> lowers, List<RootfsChange> changes, CancellationToken ct)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(entry);
            if (rel.Length == 0 && DiffExcluded.Contains(name)) continue;
            var relPath = rel + "/" + name;
            if (LibcFs.IsWhiteout(entry))
            {
                changes.Add(new RootfsChange('D', relPath));
                continue;
            }
            var inImage = lowers.Any(l => LibcFs.LStat(l + relPath, out _) == 0);
            changes.Add(new RootfsChange(inImage ? 'C' : 'A', relPath));
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null) Walk(entry, relPath, lowers, changes, ct);
        }
    }
}
