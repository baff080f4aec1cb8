using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Device nodes and FIFOs (mknod exists as a symbol since glibc 2.33).</summary>
internal static partial class LibcNodes
{
    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkNod(string path, uint mode, ulong dev);

    /// <summary>fileType is one of Statx.S_IFCHR, S_IFBLK, S_IFIFO.</summary>
    public static void Create(string path, uint fileType, UnixFileMode mode, int major, int minor) =>
        LibcErrno.ThrowIfFailed(MkNod(path, fileType | ((uint)mode & 0xFFF), MakeDev((uint)major, (uint)minor)), "mknod", path);

    /// <summary>glibc's encoding of a dev_t.</summary>
    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) |
        ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
}
