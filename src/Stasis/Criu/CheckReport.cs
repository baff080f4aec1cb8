namespace Stasis.Criu;

/// <summary>What `stasis check` found: tool versions, CRIU's kernel features, and what will not work.</summary>
public sealed record CheckReport
{
    public string? CriuPath { get; init; }
    public string? CriuVersion { get; init; }
    public string? RuncPath { get; init; }
    public string? RuncVersion { get; init; }
    public string? ConmonPath { get; init; }
    public string? ConmonVersion { get; init; }
    public string Kernel { get; init; } = "";
    public IReadOnlyList<FeatureCheck> Features { get; init; } = [];
    /// <summary>Plain-language problems; non-empty <see cref="Fatal"/> ones mean checkpointing cannot work at all.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
    public IReadOnlyList<string> Fatal { get; init; } = [];
    public bool CanCheckpoint => Fatal.Count == 0;
}
