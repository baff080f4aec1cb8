using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>mount(2)/umount2(2): overlay rootfs mounts without spawning mount(8).</summary>
internal static partial class LibcMount
{
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fstype, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);
}
