using System.Text.Json;
using Stasis.Util;

namespace Stasis.Runtime;

/// <summary>Thin driver for the runc verbs the engine calls directly (conmon handles create and restore).</summary>
internal sealed class RuncDriver(string runcPath, string runcRoot, string? criuPath)
{
    public string Path => runcPath;
    public string Root => runcRoot;

    private IEnumerable<string> Global()
    {
        yield return "--root";
        yield return runcRoot;
        if (criuPath is not null)
        {
            yield return "--criu";
            yield return criuPath;
        }
    }

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, CancellationToken ct) =>
        ProcessRunner.RunAsync(runcPath, Global().Concat(args), ct);

    public async Task StartAsync(string id, CancellationToken ct)
    {
        if (ExecFifo.TryStart(System.IO.Path.Combine(runcRoot, id, ExecFifo.FileName))) return;
        var r = await RunAsync(["start", id], ct).ConfigureAwait(false);
        if (!r.Succeeded) throw new StasisException(StasisErrorCode.Runtime, $"runc start failed: {r.Reason}");
    }

    public async Task KillAsync(string id, int signal, CancellationToken ct)
    {
        var r = await RunAsync(["kill", id, signal.ToString(System.Globalization.CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
        // A container that already stopped is not an error for kill.
        if (!r.Succeeded && !r.Reason.Contains("not running", StringComparison.OrdinalIgnoreCase) &&
            !r.Reason.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            throw new StasisException(StasisErrorCode.Runtime, $"runc kill failed: {r.Reason}");
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var r = await RunAsync(["delete", "--force", id], ct).ConfigureAwait(false);
        if (!r.Succeeded && !r.Reason.Contains("does not exist", StringComparison.OrdinalIgnoreCase))
            throw new StasisException(StasisErrorCode.Runtime, $"runc delete failed: {r.Reason}");
    }

    /// <summary>runc's view of the container: status ("created", "running", "stopped", "paused") and pid, or null when runc has no state.</summary>
    public async Task<(string Status, int Pid)?> StateAsync(string id, CancellationToken ct)
    {
        if (!Directory.Exists(System.IO.Path.Combine(runcRoot, id))) return null;
        var r = await RunAsync(["state", id], ct).ConfigureAwait(false);
        if (!r.Succeeded) return null;
        using var doc = JsonDocument.Parse(r.StandardOutput);
        return (doc.RootElement.GetProperty("status").GetString() ?? "unknown", doc.RootElement.GetProperty("pid").GetInt32());
    }
}
