using System.Runtime.InteropServices;
using Stasis.Interop;

namespace Stasis.Runtime;

/// <summary>`runc start`, done in-process: a created runc container waits in runc init, blocked opening the write
/// end of the exec FIFO in runc's state folder; `runc start` opens the read end, reads the one byte init writes
/// before it execs the container's command, and removes the FIFO (runc then reports the container as running).
/// Doing those three steps here saves a runc process (~10 ms) on every run and start. When the FIFO is not there
/// (another runc layout, a container that is not in the created state) the caller runs `runc start` itself.</summary>
internal static unsafe partial class ExecFifo
{
    public const string FileName = "exec.fifo";
    private const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int Open(byte* path, int flags);

    /// <summary>True when the container was started; false to fall back to `runc start` (nothing was changed).</summary>
    public static bool TryStart(string fifo, int timeoutMs = 10_000)
    {
        if (!File.Exists(fifo)) return false;
        var path = System.Text.Encoding.UTF8.GetBytes(fifo + "\0");
        int fd;
        // Non-blocking: with no init left to write (it died) a blocking open would wait forever.
        fixed (byte* p = path) fd = Open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) return false;
        var got = 0;
        try
        {
            var buffer = stackalloc byte[16];
            var pfd = stackalloc LibcSpawn.PollFd[1];
            var deadline = Environment.TickCount64 + timeoutMs;
            while (true)
            {
                var n = LibcProc.Read(fd, buffer, 16);
                if (n > 0)
                {
                    got += (int)n;
                    continue;
                }
                if (n == 0) break; // init exec'd (its end was close-on-exec) or is gone
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibcSockets.EINTR) continue;
                if (errno != LibcSockets.EAGAIN) return false;
                var left = (int)Math.Max(0, deadline - Environment.TickCount64);
                if (left == 0) return false;
                pfd[0] = new LibcSpawn.PollFd { Fd = fd, Events = LibcSpawn.POLLIN };
                LibcSpawn.Poll(pfd, 1, left);
            }
        }
        finally
        {
            LibcProc.Close(fd);
        }
        // No byte: nobody was waiting behind the FIFO (the process is gone); runc start says so properly.
        if (got == 0) return false;
        File.Delete(fifo);
        return true;
    }
}
