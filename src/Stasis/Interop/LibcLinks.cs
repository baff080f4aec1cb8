using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Hard links and renames with the exact semantics the safe extractor needs.</summary>
internal static partial class LibcLinks
{
    private const int AT_FDCWD = -100;
    private const uint RENAME_NOREPLACE = 1;

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    /// <summary>Flags 0: a symlink at <paramref name="existing"/> is linked itself, never followed.</summary>
    public static void HardLink(string existing, string newPath) =>
        LibcErrno.ThrowIfFailed(LinkAt(AT_FDCWD, existing, AT_FDCWD, newPath, 0), "link", newPath);

    /// <summary>Atomic rename that fails with EEXIST instead of replacing anything.</summary>
    public static void RenameNoReplace(string from, string to) =>
        LibcErrno.ThrowIfFailed(RenameAt2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE), "rename to", to);

    /// <summary>rename(2) semantics: a directory may replace an existing empty directory.</summary>
    public static void Rename(string from, string to) =>
        LibcErrno.ThrowIfFailed(RenameAt2(AT_FDCWD, from, AT_FDCWD, to, 0), "rename to", to);
}
