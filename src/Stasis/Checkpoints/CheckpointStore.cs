using System.Text.Json;
using Stasis.Util;

namespace Stasis.Checkpoints;

/// <summary>The named checkpoints under containers/&lt;id&gt;/checkpoints/. Folders whose name starts with '.' are
/// unfinished (staging) and never listed; a checkpoint appears by an atomic rename only when complete.</summary>
internal sealed class CheckpointStore(StorePaths paths)
{
    public IReadOnlyList<CheckpointInfo> List(string containerId)
    {
        var dir = paths.Checkpoints(containerId);
        if (!Directory.Exists(dir)) return [];
        var list = new List<CheckpointInfo>();
        foreach (var d in Directory.EnumerateDirectories(dir))
            if (!Path.GetFileName(d).StartsWith('.') && TryRead(d) is { } info) list.Add(info);
        // List.Sort with a comparison is precompiled; OrderBy over a DateTimeOffset key is JIT-compiled at every start.
        // Ties (never in practice) go by name, so the order does not depend on the directory's.
        list.Sort((a, b) => a.Created != b.Created ? a.Created.CompareTo(b.Created) : string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    public IReadOnlyList<string> Names(string containerId)
    {
        var dir = paths.Checkpoints(containerId);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
    }

    public static CheckpointInfo? TryRead(string folder)
    {
        var file = Path.Combine(folder, CheckpointLayout.Metadata);
        if (!File.Exists(file)) return null;
        try
        {
            var info = CheckpointInfoJson.Parse(File.ReadAllBytes(file));
            return info is null ? null : info with { Path = folder };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void WriteMetadata(string folder, CheckpointInfo info) =>
        AtomicFile.WriteAllBytes(Path.Combine(folder, CheckpointLayout.Metadata),
            CheckpointInfoJson.ToUtf8Bytes(info with { Path = null }), durable: false);

    public string DefaultName(string containerId, DateTimeOffset now)
    {
        var baseName = $"cp-{now.UtcDateTime:yyyyMMdd-HHmmss}";
        var name = baseName;
        for (var i = 2; Directory.Exists(paths.Checkpoint(containerId, name)); i++) name = $"{baseName}-{i}";
        return name;
    }

    public static long FolderSize(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        long total = 0; // a loop: LINQ's Sum over long is JIT-compiled at every start
        foreach (var f in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)) total += f.Length;
        return total;
    }
}
