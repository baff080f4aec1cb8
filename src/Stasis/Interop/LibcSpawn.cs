using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>posix_spawn(3) and its attribute calls, waitpid(2) and poll(2): child processes without
/// System.Diagnostics.Process, whose first use at every CLI start costs several ms (console and SIGCHLD set-up,
/// async pipe plumbing) on the path of each short command.</summary>
internal static unsafe partial class LibcSpawn
{
    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int O_RDONLY = 0;
    public const short POLLIN = 0x1, POLLHUP = 0x10, POLLERR = 0x8;

    /// <summary>Generous sizes for glibc's opaque posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80)
    /// and sigset_t (128) on x86-64.</summary>
    public const int AttrSize = 512, FileActionsSize = 256, SigsetSize = 128;

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    public static partial int PosixSpawnp(out int pid, byte* file, byte* fileActions, byte* attr, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    public static partial int AttrInit(byte* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttrDestroy(byte* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttrSetFlags(byte* attr, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttrSetSigmask(byte* attr, byte* sigset);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttrSetSigdefault(byte* attr, byte* sigset);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(byte* actions, int fd, int newfd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(byte* actions, int fd, byte* path, int oflag, int mode);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static partial int SigFillSet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigdelset")]
    public static partial int SigDelSet(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
