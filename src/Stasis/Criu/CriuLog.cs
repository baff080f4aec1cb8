using System.Text.RegularExpressions;

namespace Stasis.Criu;

/// <summary>Pulls the reasons out of a CRIU log: its "Error (file:line): text" lines.</summary>
internal static partial class CriuLog
{
    // e.g. "(00.027213) Error (criu/sk-inet.c:191): inet: Connected TCP socket, consider using --tcp-established option."
    // and, from the restorer blob, "(00.054878) pie: 33928: Error (criu/pie/restorer.c:1832): Unable to create a thread: 33931".
    [GeneratedRegex(@"^(?:\([\d.]+\)\s+)?(?:pie:\s+)?(?:\d+:\s+)?Error \(([^)]*)\):\s*(.*)$")]
    private static partial Regex ErrorLine();

    /// <summary>Error lines a user should see; harmless noise on this kind of machine is left out.</summary>
    public static IReadOnlyList<string> ReadErrors(string logPath, int max = 8)
    {
        if (!File.Exists(logPath)) return [];
        var errors = new List<string>();
        foreach (var line in File.ReadLines(logPath))
        {
            var m = ErrorLine().Match(line.Trim());
            if (!m.Success) continue;
            var text = m.Groups[2].Value.Trim();
            if (IsNoise(text)) continue;
            var entry = $"{text} ({m.Groups[1].Value})";
            if (!errors.Contains(entry)) errors.Add(entry);
        }
        return errors.Count > max ? errors.Take(max).Append($"… and {errors.Count - max} more").ToList() : errors;
    }

    // Without CAP_SYS_RESOURCE CRIU cannot raise its own RLIMIT_NOFILE; it logs this on every run and goes on.
    private static bool IsNoise(string text) => text.Contains("Can't setup RLIMIT_NOFILE", StringComparison.Ordinal);
}
