using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Process-level libc calls: signals, inheritable pipes for conmon's sync pipe, resource limits.</summary>
internal static partial class LibcProc
{
    public const int RLIMIT_NPROC = 6;
    public const int RLIMIT_NOFILE = 7;
    public const int ESRCH = 3;
    public const int O_CLOEXEC = 0x80000;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>pipe2(2); without O_CLOEXEC for conmon's sync pipe, whose write end must survive exec into conmon.</summary>
    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static unsafe partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(int fd, byte* buf, nint count);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    public static unsafe partial nint GetRandom(byte* buf, nuint count, uint flags);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRLimit(int resource, out RLimit limit);

    public static bool IsAlive(int pid) => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != ESRCH);

    public static ulong HardLimit(int resource) => GetRLimit(resource, out var l) == 0 ? l.Max : 1024;
}
