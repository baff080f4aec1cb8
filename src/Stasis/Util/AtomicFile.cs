using System.Text;

namespace Stasis.Util;

/// <summary>State files are replaced whole: write a temp file, fsync, rename. A crash leaves the old or the new file.
/// <c>durable: false</c> skips the fsync, for files written on every lifecycle step whose loss a crash can afford:
/// container records (re-derived from conmon's exit files and process liveness, see Engine.RefreshAsync), the
/// bundle, and a checkpoint's own small files, whose GiBs of CRIU images are not synced either (CRIU does not).
/// Right after a large dump an fsync waits behind the images' writeback in the journal: tens of ms for nothing.
/// The rename still keeps such a file whole on ext4 (auto_da_alloc flushes a file renamed over another).</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content, bool durable = true) => WriteAllBytes(path, Encoding.UTF8.GetBytes(content), durable);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool durable = true)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: durable);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            Archives.TreeDeleter.TryDelete(tmp);
            throw;
        }
    }
}
