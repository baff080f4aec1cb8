using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Stasis.Interop;

/// <summary>Permission bits (including setuid, setgid and sticky) and folder creation, exact and umask-free.</summary>
internal static partial class LibcFileMode
{
    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChmodCall(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static partial int FchmodCall(SafeFileHandle fd, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdirCall(string path, uint mode);

    /// <summary>chmod follows symlinks: call it only on a path known not to be one.</summary>
    public static void Chmod(string path, UnixFileMode mode) =>
        LibcErrno.ThrowIfFailed(ChmodCall(path, (uint)mode & 0xFFF), "chmod", path);

    public static void Chmod(SafeFileHandle file, UnixFileMode mode, string pathForErrors) =>
        LibcErrno.ThrowIfFailed(FchmodCall(file, (uint)mode & 0xFFF), "chmod", pathForErrors);

    /// <summary>Creates one folder (its parent must exist) and sets its mode exactly; fails if anything is there.</summary>
    public static void Mkdir(string path, UnixFileMode mode)
    {
        LibcErrno.ThrowIfFailed(MkdirCall(path, (uint)mode & 0xFFF), "mkdir", path);
        Chmod(path, mode);
    }
}
