namespace Stasis.Images;

/// <summary>How an image's containers run by default (the OCI image config's "config" part).</summary>
public sealed record ImageConfig
{
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
    public IReadOnlyList<string> Env { get; init; } = [];
    public string WorkingDir { get; init; } = "";
    public string User { get; init; } = "";
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];
}
