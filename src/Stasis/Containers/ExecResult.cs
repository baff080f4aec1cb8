namespace Stasis.Containers;

/// <summary>How an exec'd command ended (output only when captured).</summary>
public sealed record ExecResult(int ExitCode, string? StandardOutput, string? StandardError);
