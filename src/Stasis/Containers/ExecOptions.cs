namespace Stasis.Containers;

/// <summary>What `stasis exec` takes.</summary>
public sealed record ExecOptions
{
    public required IReadOnlyList<string> Command { get; init; }
    /// <summary>Pass this process's stdin to the command.</summary>
    public bool Interactive { get; init; }
    /// <summary>Allocate a terminal (runc exec --tty).</summary>
    public bool Tty { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? WorkingDir { get; init; }
    /// <summary>Capture stdout/stderr into the result instead of passing them through.</summary>
    public bool CaptureOutput { get; init; }
}
