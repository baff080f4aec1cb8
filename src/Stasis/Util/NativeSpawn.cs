using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;
using Stasis.Interop;

namespace Stasis.Util;

/// <summary>Starts programs with posix_spawn(3): stdin from /dev/null (or a given descriptor), stdout and stderr
/// into descriptors of the caller's, the environment of this process plus overrides, signal mask and dispositions
/// reset. All of Stasis's children start here, under one lock, so a descriptor one launch makes inheritable on
/// purpose (conmon's sync pipe) never leaks into another child.</summary>
internal static unsafe class NativeSpawn
{
    public static readonly Lock SpawnLock = new();

    /// <summary>Runs a program to its end and captures what it wrote.</summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var outPipe = stackalloc int[2];
        var errPipe = stackalloc int[2];
        if (LibcProc.Pipe2(outPipe, LibcProc.O_CLOEXEC) != 0) throw Fail($"cannot run {file}: no pipe");
        if (LibcProc.Pipe2(errPipe, LibcProc.O_CLOEXEC) != 0)
        {
            LibcProc.Close(outPipe[0]);
            LibcProc.Close(outPipe[1]);
            throw Fail($"cannot run {file}: no pipe");
        }
        int pid;
        try
        {
            pid = Start(file, args, env, stdin: -1, stdout: outPipe[1], stderr: errPipe[1]);
        }
        catch
        {
            LibcProc.Close(outPipe[0]);
            LibcProc.Close(errPipe[0]);
            throw;
        }
        finally
        {
            LibcProc.Close(outPipe[1]);
            LibcProc.Close(errPipe[1]);
        }
        var (stdout, stderr) = DrainBoth(outPipe[0], errPipe[0]);
        return new ProcessResult(Wait(pid), stdout, stderr);
    }

    /// <summary>Starts a program; the caller waits for it (<see cref="Wait"/>). stdin -1 means /dev/null.</summary>
    public static int Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, int stdin, int stdout, int stderr)
    {
        // Native copies of argv and envp; an array, not List<nint> (a value-type generic JIT-compiled at every start).
        var strings = new NativeBlocks();
        try
        {
            var argList = new List<string> { file };
            argList.AddRange(args);
            var argv = (byte**)NativeMemory.Alloc((nuint)(argList.Count + 1), (nuint)sizeof(byte*));
            strings.Add(argv);
            for (var i = 0; i < argList.Count; i++) argv[i] = Utf8(argList[i], strings);
            argv[argList.Count] = null;

            var envList = Environment(env);
            var envp = (byte**)NativeMemory.Alloc((nuint)(envList.Count + 1), (nuint)sizeof(byte*));
            strings.Add(envp);
            for (var i = 0; i < envList.Count; i++) envp[i] = Utf8(envList[i], strings);
            envp[envList.Count] = null;

            var attr = stackalloc byte[LibcSpawn.AttrSize];
            var actions = stackalloc byte[LibcSpawn.FileActionsSize];
            var sigset = stackalloc byte[LibcSpawn.SigsetSize];
            LibcSpawn.AttrInit(attr);
            LibcSpawn.FileActionsInit(actions);
            try
            {
                // The child starts with no signal blocked and every handler at its default (the runtime ignores
                // SIGPIPE, which a child must not inherit).
                LibcSpawn.AttrSetFlags(attr, LibcSpawn.POSIX_SPAWN_SETSIGMASK | LibcSpawn.POSIX_SPAWN_SETSIGDEF);
                LibcSpawn.SigEmptySet(sigset);
                LibcSpawn.AttrSetSigmask(attr, sigset);
                LibcSpawn.SigFillSet(sigset);
                LibcSpawn.SigDelSet(sigset, 9);
                LibcSpawn.SigDelSet(sigset, 19);
                LibcSpawn.AttrSetSigdefault(attr, sigset);
                if (stdin < 0)
                {
                    var devNull = "/dev/null\0"u8;
                    fixed (byte* p = devNull) LibcSpawn.FileActionsAddOpen(actions, 0, p, LibcSpawn.O_RDONLY, 0);
                }
                else LibcSpawn.FileActionsAddDup2(actions, stdin, 0);
                LibcSpawn.FileActionsAddDup2(actions, stdout, 1);
                LibcSpawn.FileActionsAddDup2(actions, stderr, 2);
                int pid, rc;
                lock (SpawnLock) rc = LibcSpawn.PosixSpawnp(out pid, argv[0], actions, attr, argv, envp);
                if (rc != 0)
                    throw new StasisException(StasisErrorCode.Unsupported, $"cannot run {file}: {new Win32Exception(rc).Message}");
                return pid;
            }
            finally
            {
                LibcSpawn.FileActionsDestroy(actions);
                LibcSpawn.AttrDestroy(attr);
            }
        }
        finally
        {
            strings.FreeAll();
        }
    }

    /// <summary>Waits for a child started here; its exit code, or 128 + the signal that ended it.</summary>
    public static int Wait(int pid)
    {
        int status;
        while (LibcSpawn.WaitPid(pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibcSockets.EINTR) throw Fail($"cannot wait for process {pid}", errno);
        }
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>Reads two pipes to their ends at once (a child that fills one while we block on the other would
    /// hang otherwise); closes both.</summary>
    private static (string Stdout, string Stderr) DrainBoth(int outFd, int errFd)
    {
        var outBytes = new MemoryStream();
        var errBytes = new MemoryStream();
        var buffer = new byte[16384];
        var fds = stackalloc LibcSpawn.PollFd[2];
        fds[0] = new LibcSpawn.PollFd { Fd = outFd, Events = LibcSpawn.POLLIN };
        fds[1] = new LibcSpawn.PollFd { Fd = errFd, Events = LibcSpawn.POLLIN };
        try
        {
            while (fds[0].Fd >= 0 || fds[1].Fd >= 0)
            {
                if (LibcSpawn.Poll(fds, 2, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == LibcSockets.EINTR) continue;
                    throw Fail("cannot read a child's output");
                }
                for (var i = 0; i < 2; i++)
                {
                    if (fds[i].Fd < 0 || fds[i].Revents == 0) continue;
                    nint n;
                    fixed (byte* b = buffer) n = LibcProc.Read(fds[i].Fd, b, buffer.Length);
                    if (n < 0 && Marshal.GetLastPInvokeError() == LibcSockets.EINTR) continue;
                    if (n <= 0)
                    {
                        LibcProc.Close(fds[i].Fd);
                        fds[i].Fd = -1; // poll ignores negative descriptors
                        continue;
                    }
                    (i == 0 ? outBytes : errBytes).Write(buffer, 0, (int)n);
                }
            }
        }
        finally
        {
            if (fds[0].Fd >= 0) LibcProc.Close(fds[0].Fd);
            if (fds[1].Fd >= 0) LibcProc.Close(fds[1].Fd);
        }
        return (Encoding.UTF8.GetString(outBytes.GetBuffer(), 0, (int)outBytes.Length),
            Encoding.UTF8.GetString(errBytes.GetBuffer(), 0, (int)errBytes.Length));
    }

    /// <summary>"NAME=value" for this process's environment with the overrides applied.</summary>
    private static List<string> Environment(IReadOnlyDictionary<string, string>? overrides)
    {
        var list = new List<string>();
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (overrides is not null && overrides.ContainsKey(key)) continue;
            list.Add(key + "=" + (string?)e.Value);
        }
        if (overrides is not null)
            foreach (var (k, v) in overrides) list.Add(k + "=" + v);
        return list;
    }

    private static byte* Utf8(string s, NativeBlocks owned)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        owned.Add(p);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, n));
        p[n] = 0;
        return p;
    }

    private static StasisException Fail(string what, int? errno = null) =>
        new(StasisErrorCode.Runtime, $"{what}: {new Win32Exception(errno ?? Marshal.GetLastPInvokeError()).Message}");
}
