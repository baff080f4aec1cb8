using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>conmon runs its exit command (our `container cleanup`) with SIGCHLD blocked, as it is in conmon for its
/// signalfd, and a blocked mask survives exec. .NET learns that a child ended only through SIGCHLD, so every
/// tool we then spawn would look as if it never ended. Unblocking it on this thread is enough: the kernel
/// delivers a process-directed signal to any thread that does not block it.</summary>
internal static unsafe partial class LibcSignal
{
    private const int SIG_UNBLOCK = 1;
    private const int SIGCHLD = 17;

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SigAddSet(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    private static partial int PthreadSigmask(int how, byte* set, byte* oldSet);

    public static void UnblockChildSignal()
    {
        var set = stackalloc byte[128]; // sizeof(sigset_t) on glibc
        SigEmptySet(set);
        SigAddSet(set, SIGCHLD);
        PthreadSigmask(SIG_UNBLOCK, set, null);
    }
}
