namespace Stasis.IntegrationTests.Cli;

/// <summary>What one `stasis` invocation did.</summary>
internal sealed record CliResult(string[] Args, int Exit, string Out, string Err)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public string[] ErrorLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.StartsWith("Error:", StringComparison.Ordinal)).ToArray();

    /// <summary>For assertion messages: the command and everything it printed.</summary>
    public override string ToString() => $"stasis {string.Join(' ', Args)} → exit {Exit}\nstdout:\n{Out}\nstderr:\n{Err}";
}
