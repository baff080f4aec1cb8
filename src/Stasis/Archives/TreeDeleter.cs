using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Removes a partial tree completely: never follows symlinks, and makes read-only folders writable
/// first, so a failed extraction leaves nothing behind even when not running as root.</summary>
internal static class TreeDeleter
{
    public static void Delete(string path)
    {
        if (!LibcStat.TryLstat(path, out var st)) return;
        if (!st.IsDirectory)
        {
            File.Delete(path);
            return;
        }
        try
        {
            Directory.Delete(path, recursive: true);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        MakeWritable(path);
        Directory.Delete(path, recursive: true);
    }

    /// <summary>Best effort, for clean-up on a path that is already failing: the original error matters more.</summary>
    public static void TryDelete(string path)
    {
        try { Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void MakeWritable(string dir)
    {
        LibcFileMode.Chmod(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var child in Directory.EnumerateFileSystemEntries(dir))
        {
            if (LibcStat.TryLstat(child, out var st) && st.IsDirectory) MakeWritable(child);
        }
    }
}
