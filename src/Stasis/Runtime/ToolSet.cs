using Stasis.Criu;
using Stasis.Util;

namespace Stasis.Runtime;

/// <summary>The external tools the engine drives, found once (explicit paths first, then PATH).</summary>
internal sealed class ToolSet(EngineOptions options)
{
    private readonly Lazy<string?> _runc = new(() => options.RuncPath ?? ProcessRunner.Which("runc"));
    private readonly Lazy<string?> _conmon = new(() => options.ConmonPath ?? ProcessRunner.Which("conmon"));
    private readonly Lazy<string?> _criu = new(() => CriuLocator.Find(options.CriuPath));

    public string? RuncOrNull => _runc.Value;
    public string? ConmonOrNull => _conmon.Value;
    public string? CriuOrNull => _criu.Value;

    public string Runc => _runc.Value ?? throw Missing("runc", "runc");
    public string Conmon => _conmon.Value ?? throw Missing("conmon", "conmon");
    public string Criu => _criu.Value ?? throw new StasisException(StasisErrorCode.Unsupported,
        "CRIU was not found: run scripts/install-criu.sh (it provisions CRIU 4.2 under /opt/stasis/criu) or set STASIS_CRIU");

    private string? _criuVersion;
    private bool? _nftablesLock;

    /// <summary>CRIU's version, asked once per binary (see <see cref="CachedCriuAnswerAsync"/>), so a checkpoint does
    /// not spawn `criu --version` every time.</summary>
    public async Task<string?> CriuVersionAsync(CancellationToken ct) =>
        _criuVersion ??= await CachedCriuAnswerAsync("stasis-criu-version", async criu =>
            CriuLocator.ParseVersion((await ProcessRunner.RunAsync(criu, ["--version"], ct).ConfigureAwait(false)).StandardOutput)?.ToString(),
            ct).ConfigureAwait(false);

    /// <summary>Whether this CRIU can lock the network with nftables (`criu check --feature network_lock_nftables`),
    /// asked once per binary. Its default, iptables, spawns iptables-restore and ip6tables-restore about eight times
    /// per restore (~100 ms); nftables does the same in-process.</summary>
    public async Task<bool> CriuNftablesLockAsync(CancellationToken ct)
    {
        if (_nftablesLock is { } known) return known;
        if (CriuOrNull is null) return false;
        var answer = await CachedCriuAnswerAsync("stasis-criu-nftables", async criu =>
            (await ProcessRunner.RunAsync(criu, ["check", "--feature", "network_lock_nftables"], ct).ConfigureAwait(false)).Succeeded ? "yes" : "no",
            ct).ConfigureAwait(false);
        return (_nftablesLock = answer == "yes").Value;
    }

    /// <summary>A fact about the CRIU binary, remembered beside its identity (path, size, mtime) in a file of the
    /// system's temp folder, so only the first CLI call after CRIU changes pays for the process that finds it out.
    /// A null answer is not remembered.</summary>
    private async Task<string?> CachedCriuAnswerAsync(string cacheName, Func<string, Task<string?>> ask, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var criu = Criu;
        var info = new FileInfo(criu);
        var key = $"{Path.GetFullPath(criu)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        var cache = Path.Combine(Path.GetTempPath(), cacheName);
        try
        {
            // Synchronous on purpose: a two-line file, and the async reader costs ~20 JIT-compiled methods per CLI call.
            var lines = File.Exists(cache) ? File.ReadAllLines(cache) : [];
            if (lines.Length == 2 && lines[0] == key) return lines[1];
        }
        catch (IOException) { }
        var answer = await ask(criu).ConfigureAwait(false);
        if (answer is not null)
        {
            try { Util.AtomicFile.WriteAllText(cache, key + "\n" + answer + "\n"); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return answer;
    }

    private static StasisException Missing(string tool, string package) =>
        new(StasisErrorCode.Unsupported, $"{tool} was not found on PATH: install it (apt-get install {package}) or run scripts/setup.sh");
}
