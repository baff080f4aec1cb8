namespace Stasis.Util;

/// <summary>What an external command did.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The most useful one-line reason for a failure (stderr, else stdout).</summary>
    public string Reason
    {
        get
        {
            var text = string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.Length == 0 ? $"exit code {ExitCode}" : string.Join("; ", lines.TakeLast(3));
        }
    }
}
