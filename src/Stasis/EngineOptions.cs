namespace Stasis;

/// <summary>Where the engine keeps its state and which tools it drives.</summary>
public sealed class EngineOptions
{
    /// <summary>The default persistent state root.</summary>
    public const string DefaultRoot = "/var/lib/stasis";

    /// <summary>Persistent state (images, containers, checkpoints). Default: STASIS_ROOT or /var/lib/stasis.</summary>
    public string Root { get; init; } = Environment.GetEnvironmentVariable("STASIS_ROOT") is { Length: > 0 } r ? r : DefaultRoot;

    /// <summary>Runtime state (runc state, conmon files, network namespaces). Default: /run/stasis for the
    /// default root, otherwise a "run" folder under the root so separate roots never share runtime state.</summary>
    public string? RunRoot { get; init; }

    /// <summary>CRIU binary; default: STASIS_CRIU, the provisioned /opt/stasis/criu/bin/criu, or a criu ≥ 4.2 on PATH.</summary>
    public string? CriuPath { get; init; }

    /// <summary>runc binary; default: runc on PATH.</summary>
    public string? RuncPath { get; init; }

    /// <summary>conmon binary; default: conmon on PATH.</summary>
    public string? ConmonPath { get; init; }

    /// <summary>A program conmon runs when a container exits, with arguments <c>--root ROOT container cleanup ID GEN</c>
    /// (the CLI passes itself), so mounts are released even when no command is running. Optional.</summary>
    public string? ExitCommand { get; init; }

    internal string EffectiveRunRoot => RunRoot ?? (Path.GetFullPath(Root) == DefaultRoot ? "/run/stasis" : Path.Combine(Root, "run"));
}
