using Stasis.Util;

namespace Stasis.IntegrationTests.Infrastructure;

/// <summary>Integration tests need root and the real tools. Missing ones fail the test with the fix, never skip it.</summary>
internal static class Requirements
{
    private static readonly Lazy<string?> Problem = new(Find);

    public static void Ensure()
    {
        if (Problem.Value is { } p) throw new InvalidOperationException($"integration tests cannot run here: {p} (run scripts/setup.sh as root)");
    }

    private static string? Find()
    {
        if (Environment.UserName != "root") return "they must run as root";
        foreach (var tool in new[] { "runc", "conmon", "unshare", "nsenter", "ip" })
            if (ProcessRunner.Which(tool) is null) return $"{tool} is not installed";
        if (Stasis.Criu.CriuLocator.Find(null) is null) return "CRIU is not provisioned";
        if (!File.Exists("/bin/busybox")) return "busybox-static is not installed";
        return null;
    }
}
