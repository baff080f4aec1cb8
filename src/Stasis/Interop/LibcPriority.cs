using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>setpriority(2) on the calling thread (Linux's nice is per thread, and threads it starts inherit it).</summary>
internal static partial class LibcPriority
{
    private const int PRIO_PROCESS = 0;

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);

    /// <summary>Best effort: every thread of this process back to nice 0 (raising needs root, which a dump has).</summary>
    public static void ResetAllThreads()
    {
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
                if (int.TryParse(Path.GetFileName(task), out var tid)) _ = SetPriority(PRIO_PROCESS, tid, 0);
        }
        catch (IOException) { }
        catch (EntryPointNotFoundException) { }
    }

    /// <summary>Best effort: lowers (or, as root, raises) the calling thread's nice value.</summary>
    public static void SetCurrentThreadNice(int nice)
    {
        try { _ = SetPriority(PRIO_PROCESS, GetTid(), nice); }
        catch (EntryPointNotFoundException) { }
    }
}
