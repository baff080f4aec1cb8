using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>utimensat(2) with AT_SYMLINK_NOFOLLOW, so a symlink's own time is set, not its target's.</summary>
internal static unsafe partial class LibcFileTimes
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UtimensAt(int dirfd, string path, Timespec* times, int flags);

    /// <summary>Sets access and modification time to the same instant.</summary>
    public static void SetModificationTime(string path, DateTimeOffset time)
    {
        var t = Timespec.From(time);
        var times = stackalloc Timespec[2] { t, t };
        LibcErrno.ThrowIfFailed(UtimensAt(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW), "set times of", path);
    }
}
