namespace Stasis.Criu.Images;

/// <summary>What to look for in dumped memory: exactly one of <see cref="Text"/> (UTF-8 bytes) or
/// <see cref="Pattern"/> (a .NET regular expression matched over the bytes read as Latin-1).</summary>
public sealed record MemorySearchQuery
{
    public string? Text { get; init; }
    public string? Pattern { get; init; }
    /// <summary>One process (pid inside the checkpoint) or, when null, all of them.</summary>
    public int? Pid { get; init; }
    /// <summary>Bytes of context shown before and after each match.</summary>
    public int Context { get; init; } = 32;
    /// <summary>Stop after this many matches (the result says it was truncated).</summary>
    public int MaxMatches { get; init; } = 1000;
    public bool IgnoreCase { get; init; }
}
