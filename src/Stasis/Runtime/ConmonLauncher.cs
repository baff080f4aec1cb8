using System.Text.Json;
using Stasis.Interop;
using Stasis.Util;

namespace Stasis.Runtime;

/// <summary>Starts conmon, which runs `runc create` (or `runc restore`), holds the container's stdio as pipes,
/// writes its log and records its exit code, so no Stasis process needs to stay around.</summary>
internal sealed class ConmonLauncher(string conmonPath, string runcPath, string runcRoot, string? criuPath)
{
    /// <summary>Launches conmon and waits for the container's host PID, reported through conmon's sync pipe.</summary>
    public Task<int> LaunchAsync(ConmonRequest req, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Launch(req));
    }

    /// <summary>As <see cref="LaunchAsync"/>, on this thread: conmon forks its monitor and exits at once, and the
    /// wait is for runc (create or restore), which is not interrupted half-way.</summary>
    public unsafe int Launch(ConmonRequest req)
    {
        Directory.CreateDirectory(req.ExitDir);
        Directory.CreateDirectory(req.SocketDir);
        var output = stackalloc int[2];
        if (LibcProc.Pipe2(output, LibcProc.O_CLOEXEC) != 0)
            throw new StasisException(StasisErrorCode.Runtime, "cannot create a pipe for conmon's output");
        int pid, readFd;
        try
        {
            // The sync pipe's write end is inheritable: it exists only inside the spawn lock (which Start takes
            // again, reentrantly), so no other child started meanwhile holds it too.
            lock (NativeSpawn.SpawnLock)
            {
                (readFd, var writeFd) = CreateInheritablePipe();
                try
                {
                    StartupTrace.Mark("conmon: spawning");
                    pid = NativeSpawn.Start(conmonPath, Arguments(req),
                        new Dictionary<string, string> { ["_OCI_SYNCPIPE"] = writeFd.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        stdin: -1, stdout: output[1], stderr: output[1]);
                }
                catch (StasisException e)
                {
                    LibcProc.Close(readFd);
                    throw new StasisException(StasisErrorCode.Unsupported, $"cannot run conmon ({conmonPath}): {e.Message}", e);
                }
                finally
                {
                    LibcProc.Close(writeFd);
                }
            }
        }
        finally
        {
            LibcProc.Close(output[1]);
        }
        string errText = "";
        var drain = new Thread(() => errText = DrainText(output[0])) { IsBackground = true, Name = "conmon output" };
        drain.Start();
        var message = ReadAll(readFd);
        StartupTrace.Mark("conmon: pid reported");
        drain.Join();
        NativeSpawn.Wait(pid);
        return ParseSync(message, errText.Trim(), req.RestoreFrom is not null);
    }

    /// <summary>Everything written into a pipe until its last writer closes it; closes it.</summary>
    private static unsafe string DrainText(int fd)
    {
        try
        {
            var total = new MemoryStream();
            var buffer = new byte[4096];
            while (true)
            {
                nint n;
                fixed (byte* p = buffer) n = LibcProc.Read(fd, p, buffer.Length);
                if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4) continue; // EINTR
                if (n <= 0) break;
                total.Write(buffer, 0, (int)n);
            }
            return System.Text.Encoding.UTF8.GetString(total.GetBuffer(), 0, (int)total.Length);
        }
        finally
        {
            LibcProc.Close(fd);
        }
    }

    private IEnumerable<string> Arguments(ConmonRequest r)
    {
        yield return "--api-version"; yield return "1";
        yield return "-c"; yield return r.ContainerId;
        yield return "-u"; yield return r.Generation;
        yield return "-n"; yield return r.Name;
        yield return "-r"; yield return runcPath;
        yield return "-b"; yield return r.Bundle;
        yield return "-p"; yield return r.PidFile;
        yield return "-P"; yield return r.ConmonPidFile;
        yield return "-l"; yield return "k8s-file:" + r.LogPath;
        yield return "--exit-dir"; yield return r.ExitDir;
        yield return "--socket-dir-path"; yield return r.SocketDir;
        yield return "--runtime-arg"; yield return "--root=" + runcRoot;
        if (criuPath is not null)
        {
            yield return "--runtime-arg"; yield return "--criu=" + criuPath;
        }
        yield return "--syslog";
        if (r.Stdin) yield return "-i";
        if (r.RestoreFrom is not null)
        {
            yield return "--restore"; yield return r.RestoreFrom;
            foreach (var o in r.RestoreOptions)
            {
                yield return "--runtime-opt"; yield return o;
            }
        }
        if (r.ExitCommand is not null)
        {
            yield return "--exit-command"; yield return r.ExitCommand;
            foreach (var a in r.ExitCommandArgs)
            {
                yield return "--exit-command-arg"; yield return a;
            }
        }
    }

    private static unsafe (int Read, int Write) CreateInheritablePipe()
    {
        var fds = stackalloc int[2];
        if (LibcProc.Pipe2(fds, 0) != 0)
            throw new StasisException(StasisErrorCode.Runtime, "cannot create a pipe for conmon");
        // Only the write end goes to conmon; the read end stays ours.
        const int F_SETFD = 2, FD_CLOEXEC = 1;
        LibcProc.Fcntl(fds[0], F_SETFD, FD_CLOEXEC);
        return (fds[0], fds[1]);
    }

    /// <summary>Reads conmon's first sync message (one JSON line). conmon keeps the pipe open afterwards, so
    /// reading to EOF would wait for the container to exit.</summary>
    private static unsafe string ReadAll(int fd)
    {
        try
        {
            var buffer = new byte[4096];
            var total = new MemoryStream();
            while (true)
            {
                nint n;
                fixed (byte* p = buffer) n = LibcProc.Read(fd, p, buffer.Length);
                if (n < 0)
                {
                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4) continue; // EINTR
                    break;
                }
                if (n == 0) break;
                total.Write(buffer, 0, (int)n);
                if (Array.IndexOf(buffer, (byte)'\n', 0, (int)n) >= 0) break;
            }
            return System.Text.Encoding.UTF8.GetString(total.ToArray());
        }
        finally
        {
            LibcProc.Close(fd);
        }
    }

    /// <summary>conmon writes {"data": PID} or {"data": -1, "message": "…"} per message, one per line.</summary>
    internal static int ParseSync(string text, string conmonOutput, bool restore)
    {
        var verb = restore ? "restore" : "create";
        string? lastMessage = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // A reader, not JsonDocument: this runs at every start and restore, and JsonDocument's generic row
            // helpers are JIT-compiled at each CLI start.
            string? message = null;
            int? data = null;
            try
            {
                var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "message" && reader.TokenType == JsonTokenType.String) message = reader.GetString();
                    else if (name == "data" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n)) data = n;
                    else reader.Skip();
                }
            }
            catch (JsonException)
            {
                lastMessage = line;
                continue;
            }
            if (message is not null) lastMessage = message;
            if (data is > 0 && lastMessage is null) return data.Value;
        }
        var reason = lastMessage ?? (conmonOutput.Length > 0 ? conmonOutput : "conmon reported no process id");
        throw new StasisException(StasisErrorCode.Runtime, $"runc {verb} failed: {reason.Trim()}");
    }
}
