using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Stasis.Interop;

/// <summary>sync_file_range(2) with SYNC_FILE_RANGE_WRITE: starts writing a range of a file to disk without waiting,
/// so a final fsync finds little left to do.</summary>
internal static partial class LibcWriteback
{
    private const uint SYNC_FILE_RANGE_WRITE = 2;

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);

    /// <summary>Best effort: a file system that cannot (or a kernel without the call) just leaves it to fsync.</summary>
    public static void Start(SafeFileHandle file, long offset, long length)
    {
        try { _ = SyncFileRange(file, offset, length, SYNC_FILE_RANGE_WRITE); }
        catch (EntryPointNotFoundException) { }
    }
}
