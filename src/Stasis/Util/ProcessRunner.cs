using System.Diagnostics;

namespace Stasis.Util;

/// <summary>Runs short-lived tools (runc, criu, ip …) and captures their output.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs the tool to its end on threads of its own (blocking reads and wait): the async paths of Process
    /// and PipeStream are generic instantiations JIT-compiled at every CLI start (some 40 methods, and the socket
    /// machinery PipeStream uses for async reads on Unix), which costs more than two threads for one short run.
    /// A cancelled token does not stop the tool half-way (runc and CRIU clean up after themselves): it gets to
    /// finish, and the caller then gets the cancellation instead of its output.</summary>
    public static Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, CancellationToken ct,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var done = new TaskCompletionSource<ProcessResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new Thread(() =>
        {
            try
            {
                var result = Run(file, psi);
                if (ct.IsCancellationRequested) done.SetCanceled(ct);
                else done.SetResult(result);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "run " + Path.GetFileName(file) };
        runner.Start();
        return done.Task;
    }

    private static ProcessResult Run(string file, ProcessStartInfo psi)
    {
        using var p = new Process { StartInfo = psi };
        try
        {
            p.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StasisException(StasisErrorCode.Unsupported, $"cannot run {file}: {e.Message}", e);
        }
        p.StandardInput.Close();
        // Both pipes are drained at once, or a tool that fills one while we block on the other would hang.
        var stderr = "";
        Exception? stderrFailure = null;
        var errors = new Thread(() =>
        {
            try { stderr = p.StandardError.ReadToEnd(); }
            catch (Exception e) { stderrFailure = e; }
        })
        { IsBackground = true, Name = "stderr of " + Path.GetFileName(file) };
        errors.Start();
        var stdout = p.StandardOutput.ReadToEnd();
        errors.Join();
        p.WaitForExit();
        if (stderrFailure is not null) throw new IOException($"reading the error output of {file} failed: {stderrFailure.Message}", stderrFailure);
        return new ProcessResult(p.ExitCode, stdout, stderr);
    }

    /// <summary>Finds an executable on PATH, or null.</summary>
    public static string? Which(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
