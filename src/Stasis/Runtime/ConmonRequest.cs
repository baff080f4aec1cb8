namespace Stasis.Runtime;

/// <summary>Everything conmon needs to create (or restore) one container process and watch it.</summary>
internal sealed record ConmonRequest
{
    public required string ContainerId { get; init; }
    public required string Name { get; init; }
    /// <summary>Passed as conmon's container UUID: one value per run of the container.</summary>
    public required string Generation { get; init; }
    public required string Bundle { get; init; }
    public required string PidFile { get; init; }
    public required string ConmonPidFile { get; init; }
    public required string LogPath { get; init; }
    public required string ExitDir { get; init; }
    public required string SocketDir { get; init; }
    public bool Stdin { get; init; }
    /// <summary>CRIU image folder to restore from; null to create a fresh process.</summary>
    public string? RestoreFrom { get; init; }
    /// <summary>Extra `runc restore` options (e.g. --work-path=…, --tcp-established).</summary>
    public IReadOnlyList<string> RestoreOptions { get; init; } = [];
    public string? ExitCommand { get; init; }
    public IReadOnlyList<string> ExitCommandArgs { get; init; } = [];
}
