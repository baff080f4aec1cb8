using Stasis.Interop;

namespace Stasis.Checkpoints;

/// <summary>The container's file-system changes, taken from the overlay upper layer: changed and added files as
/// rootfs-diff.tar (paths relative to /), deleted paths (whiteouts) as deleted.files (a JSON array of absolute
/// paths), as Podman writes them. Kernel-managed trees and mount targets are left out.
/// The work is synchronous (local files; see <see cref="Archives.TarExtraction"/> for why); the async forms run it on
/// the calling thread.</summary>
internal static class RootfsDiff
{
    private static readonly string[] Excluded = ["proc", "sys", "dev", "run"];

    public static Task<(long TarBytes, int Deleted)> WriteAsync(string upper, string folder, CancellationToken ct)
    {
        try { return Task.FromResult(Write(upper, folder, ct)); }
        catch (Exception e) { return Task.FromException<(long, int)>(e); }
    }

    public static (long TarBytes, int Deleted) Write(string upper, string folder, CancellationToken ct)
    {
        var deleted = new List<string>();
        var tarPath = Path.Combine(folder, CheckpointLayout.RootfsDiff);
        if (Directory.Exists(upper)) CollectWhiteouts(upper, "", deleted);
        var whiteouts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in deleted) whiteouts.Add(d.TrimStart('/'));
        using (var fs = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (Directory.Exists(upper))
            {
                using var writer = new System.Formats.Tar.TarWriter(fs, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true);
                // The root folder's own permissions go first: CRIU checks them on restore, and another engine's rootfs
                // root may differ (Podman's is 0555), so its importer must set them.
                if (LibcStat.TryLstat(upper, out var root))
                {
                    writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.Directory, "./")
                    {
                        Mode = root.Permissions, Uid = (int)root.Uid, Gid = (int)root.Gid, ModificationTime = root.ModificationTime.ToDateTimeOffset(),
                    });
                }
                Archives.TarDirectoryWriter.Write(upper, writer, new Archives.TarWriteOptions
                {
                    Include = rel => !whiteouts.Contains(rel) && Array.IndexOf(Excluded, rel.Split('/')[0]) < 0,
                    // overlayfs bookkeeping (opaque dirs, redirects) means nothing outside this upper layer.
                    IncludeXattr = name => !name.StartsWith("trusted.overlay.", StringComparison.Ordinal),
                }, ct);
            }
            else
            {
                fs.Write(new byte[1024]); // an empty tar: two zero blocks
            }
        }
        File.WriteAllBytes(Path.Combine(folder, CheckpointLayout.DeletedFiles), Util.JsonCodec.ToUtf8Bytes(deleted));
        return (new FileInfo(tarPath).Length, deleted.Count);
    }

    private static void CollectWhiteouts(string dir, string rel, List<string> deleted)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var relPath = rel.Length == 0 ? name : rel + "/" + name;
            if (rel.Length == 0 && Array.IndexOf(Excluded, name) >= 0) continue;
            if (LibcFs.IsWhiteout(entry)) deleted.Add("/" + relPath);
            else if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null) CollectWhiteouts(entry, relPath, deleted);
        }
    }

    /// <summary>Builds an upper layer from a checkpoint's diff: its files, plus a whiteout for every deleted path.</summary>
    public static Task ApplyAsync(string checkpointFolder, string upper, CancellationToken ct)
    {
        try
        {
            Apply(checkpointFolder, upper, ct);
            return Task.CompletedTask;
        }
        catch (Exception e) { return Task.FromException(e); }
    }

    /// <inheritdoc cref="ApplyAsync"/>
    public static void Apply(string checkpointFolder, string upper, CancellationToken ct)
    {
        Directory.CreateDirectory(upper);
        var tarPath = Path.Combine(checkpointFolder, CheckpointLayout.RootfsDiff);
        if (File.Exists(tarPath))
        {
            using var fs = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Archives.RootfsDiffExtractor.Extract(fs, upper, ct);
        }
        var deletedPath = Path.Combine(checkpointFolder, CheckpointLayout.DeletedFiles);
        if (!File.Exists(deletedPath)) return;
        var deleted = Util.JsonCodec.ParseStrings(File.ReadAllBytes(deletedPath), CheckpointLayout.DeletedFiles);
        var root = Path.GetFullPath(upper);
        foreach (var d in deleted)
        {
            var target = Path.GetFullPath(Path.Combine(root, d.TrimStart('/')));
            if (!target.StartsWith(root + "/", StringComparison.Ordinal))
                throw StasisException.BadArchive($"{CheckpointLayout.DeletedFiles} names a path outside the container: {d}");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) || Directory.Exists(target)) continue;
            LibcFs.MakeWhiteout(target);
        }
    }
}
