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

    private static StasisException Missing(string tool, string package) =>
        new(StasisErrorCode.Unsupported, $"{tool} was not found on PATH: install it (apt-get install {package}) or run scripts/setup.sh");
}
