namespace Stasis.Cli;

/// <summary>How a failed command ends: its one "Error: …" line, its exit code, and the exception when it was not one
/// Stasis expected (shown whole with STASIS_DEBUG=1).</summary>
internal sealed record Failure(string Line, int ExitCode, Exception? Unexpected);
