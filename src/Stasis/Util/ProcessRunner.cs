namespace Stasis.Util;

/// <summary>Runs short-lived tools (runc, criu, ip …) and captures their output.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs the tool to its end on a thread of its own (posix_spawn, poll and waitpid: see
    /// <see cref="NativeSpawn"/>; System.Diagnostics.Process costs several ms of set-up at its first use).
    /// A cancelled token does not stop the tool half-way (runc and CRIU clean up after themselves): it gets to
    /// finish, and the caller then gets the cancellation instead of its output.</summary>
    public static Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, CancellationToken ct,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var done = new TaskCompletionSource<ProcessResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new Thread(() =>
        {
            try
            {
                var result = NativeSpawn.Run(file, args, env);
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
