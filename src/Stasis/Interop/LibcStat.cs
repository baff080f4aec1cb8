using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>lstat semantics through statx(2): the final component is never followed.</summary>
internal static unsafe partial class LibcStat
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_BASIC_STATS = 0x7FF;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int dirfd, string path, int flags, uint mask, Statx* buffer);

    /// <summary>False when the path does not exist (ENOENT/ENOTDIR); throws on other errors.</summary>
    public static bool TryLstat(string path, out Statx result)
    {
        Statx buffer;
        if (StatxCall(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &buffer) == 0)
        {
            result = buffer;
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        result = default;
        if (errno is LibcErrno.ENOENT or LibcErrno.ENOTDIR) return false;
        throw LibcErrno.Exception(errno, "stat", path);
    }

    public static Statx Lstat(string path) =>
        TryLstat(path, out var st) ? st : throw LibcErrno.Exception(LibcErrno.ENOENT, "stat", path);
}
