using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Ownership changes that never follow a symlink.</summary>
internal static partial class LibcFileOwner
{
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint uid, uint gid);

    public static void SetOwner(string path, int uid, int gid) =>
        LibcErrno.ThrowIfFailed(LChown(path, (uint)uid, (uint)gid), "chown", path);
}
