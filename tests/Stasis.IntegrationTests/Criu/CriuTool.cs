using System.Diagnostics;
using System.Text.Json;

namespace Stasis.IntegrationTests.Criu;

/// <summary>Runs CRIU and crit for the tests.</summary>
internal static class CriuTool
{
    /// <summary>Dumps a process tree, leaving it running (so a second dump of the same tree can follow).</summary>
    public static void Dump(int pid, string folder)
    {
        var (code, _, err) = Run(Requirements.Criu, "dump", "-t", pid.ToString(), "-D", folder, "--shell-job", "--tcp-established",
            "--leave-running", "-o", "dump.log", "-v4");
        if (code != 0)
        {
            var log = Path.Combine(folder, "dump.log");
            var errors = File.Exists(log) ? string.Join('\n', File.ReadLines(log).Where(l => l.Contains("Error"))) : err;
            throw new InvalidOperationException($"criu dump failed ({code}):\n{errors}");
        }
    }

    /// <summary>crit's JSON decoding of one image (numbers stay numbers without --pretty).</summary>
    public static JsonElement Decode(string image)
    {
        var (code, output, err) = Run(Requirements.Crit(), "decode", "-i", image);
        if (code != 0)
            throw new InvalidOperationException($"crit decode {image} failed ({code}): {err}");
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("entries").Clone();
    }

    private static (int Code, string Out, string Err) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than 2 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
