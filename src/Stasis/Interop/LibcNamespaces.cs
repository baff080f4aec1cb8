using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>unshare(2), setns(2) and the ioctl that brings an interface up (its socket: LibcSockets): a network namespace made in-process
/// instead of with unshare(1) + nsenter(1) + ip(8) (three processes, ~20 ms).</summary>
internal static partial class LibcNamespaces
{
    public const int CLONE_NEWNET = 0x40000000;
    public const ulong MS_BIND = 4096;
    public const ulong SIOCGIFFLAGS = 0x8913;
    public const ulong SIOCSIFFLAGS = 0x8914;
    public const short IFF_UP = 0x1;

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int Setns(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, ulong request, byte* arg);
}
