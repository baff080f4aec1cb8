using System.Diagnostics;

namespace Stasis.IntegrationTests.Archives;

/// <summary>Runs the real `stasis` CLI as separate processes (through `dotnet Stasis.Cli.dll`), e.g. two of them joined
/// by a shell pipe.</summary>
internal static class CliProcess
{
    public static string Command(string root) =>
        $"dotnet {Quote(typeof(Stasis.Cli.CliContext).Assembly.Location)} --root {Quote(root)}";

    /// <summary>Runs a shell line; STASIS in it stands for the CLI with the given root.</summary>
    public static async Task<(int Exit, string Out, string Err)> ShellAsync(string root, string line, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("/bin/bash", ["-c", "set -o pipefail; " + line.Replace("STASIS", Command(root), StringComparison.Ordinal)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
