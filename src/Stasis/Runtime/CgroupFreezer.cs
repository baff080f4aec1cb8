using System.Diagnostics;

namespace Stasis.Runtime;

/// <summary>Freezes a container's cgroup before CRIU seizes it. CRIU freezes a THAWED cgroup itself and then polls
/// its state in 100 ms steps, so even a single idle process costs 100 ms of frozen time; a cgroup that is
/// already FROZEN is seized at once. CRIU then puts the freezer back as it found it (FROZEN) for a process
/// that keeps running, so the caller thaws it once the dump is over, whatever its outcome.</summary>
internal sealed class CgroupFreezer
{
    private readonly string _stateFile;
    private readonly bool _v2;

    private CgroupFreezer(string stateFile, bool v2)
    {
        _stateFile = stateFile;
        _v2 = v2;
    }

    /// <summary>The freezer of a runc cgroupsPath ("/stasis/ID"): the v1 freezer controller when it is mounted
    /// (runc hands CRIU that one on hybrid hosts), else the unified hierarchy's cgroup.freeze; null when neither exists.</summary>
    public static CgroupFreezer? Find(string cgroupsPath, string cgroupRoot = "/sys/fs/cgroup")
    {
        var rel = cgroupsPath.TrimStart('/');
        var v1 = Path.Combine(cgroupRoot, "freezer", rel, "freezer.state");
        if (File.Exists(v1)) return new CgroupFreezer(v1, v2: false);
        var v2 = Path.Combine(cgroupRoot, rel, "cgroup.freeze");
        return File.Exists(v2) ? new CgroupFreezer(v2, v2: true) : null;
    }

    /// <summary>Freezes every task of the cgroup and waits until the kernel reports it frozen. Returns false (and
    /// leaves the cgroup thawed) when that does not happen within <paramref name="timeout"/>; CRIU then freezes it
    /// the slow way and reports any real problem itself.</summary>
    public async Task<bool> FreezeAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            Write(_v2 ? "1" : "FROZEN");
            var sw = Stopwatch.StartNew();
            // A few tight checks first: an idle process freezes in microseconds; then 1 ms steps.
            for (var i = 0; ; i++)
            {
                if (IsFrozen()) return true;
                if (sw.Elapsed > timeout) break;
                if (i < 20) Thread.Yield();
                else await Task.Delay(1, ct).ConfigureAwait(false);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        Thaw();
        return false;
    }

    /// <summary>Best effort: the cgroup is gone once runc removed a container CRIU ended.</summary>
    public void Thaw()
    {
        try { Write(_v2 ? "0" : "THAWED"); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private bool IsFrozen()
    {
        if (!_v2) return File.ReadAllText(_stateFile).AsSpan().Trim().SequenceEqual("FROZEN");
        var events = Path.Combine(Path.GetDirectoryName(_stateFile)!, "cgroup.events");
        foreach (var line in File.ReadLines(events))
            if (line.StartsWith("frozen ", StringComparison.Ordinal)) return line.EndsWith('1');
        return false;
    }

    private void Write(string state) => File.WriteAllText(_stateFile, state);
}
