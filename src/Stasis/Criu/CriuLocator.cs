using Stasis.Util;

namespace Stasis.Criu;

/// <summary>Finds the CRIU binary to hand to runc explicitly (never "whatever criu is first on PATH" unchecked).</summary>
internal static class CriuLocator
{
    public const string ProvisionedPath = "/opt/stasis/criu/bin/criu";
    public static readonly Version Minimum = new(4, 2);

    /// <summary>Configured path, STASIS_CRIU, the provisioned private copy, then a criu on PATH (version checked by `stasis check`).</summary>
    public static string? Find(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) return configured;
        if (Environment.GetEnvironmentVariable("STASIS_CRIU") is { Length: > 0 } env) return env;
        if (File.Exists(ProvisionedPath)) return ProvisionedPath;
        return ProcessRunner.Which("criu");
    }

    public static Version? ParseVersion(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var t = line.Trim();
            if (!t.StartsWith("Version:", StringComparison.Ordinal)) continue;
            var v = t["Version:".Length..].Trim();
            var end = 0;
            while (end < v.Length && (char.IsDigit(v[end]) || v[end] == '.')) end++;
            if (Version.TryParse(v[..end].Count(c => c == '.') == 0 ? v[..end] + ".0" : v[..end], out var parsed)) return parsed;
        }
        return null;
    }
}
