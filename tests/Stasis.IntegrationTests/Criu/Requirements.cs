using Xunit;

namespace Stasis.IntegrationTests.Criu;

/// <summary>What the CRIU image tests need. Missing pieces skip a test on a developer machine and fail it in CI.</summary>
internal static class Requirements
{
    public const string Criu = "/opt/stasis/criu/bin/criu";
    public const string Python = "/usr/bin/python3";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void RootAndCriu()
    {
        if (!Environment.IsPrivilegedProcess)
            Missing("these tests dump real processes with CRIU and must run as root");
        if (!File.Exists(Criu))
            Missing($"CRIU is not provisioned at {Criu} (run scripts/install-criu.sh)");
        if (!File.Exists(Python))
            Missing($"{Python} is needed for the test workload (Debian package python3)");
    }

    /// <summary>What running a real container needs on top of CRIU: runc, conmon and a static busybox for the rootfs.</summary>
    public static string ContainerTools()
    {
        RootAndCriu();
        foreach (var tool in new[] { "runc", "conmon" })
            if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool))))
                Missing($"{tool} is not installed");
        var busybox = new[] { "/usr/bin/busybox", "/bin/busybox" }.FirstOrDefault(File.Exists);
        if (busybox is null)
            Missing("busybox is not installed (Debian package busybox-static)");
        return busybox ?? "";
    }

    /// <summary>CRIU's own decoder, of the same CRIU release: STASIS_CRIT, else the crit scripts/install-criu.sh
    /// provisions beside CRIU (sid's python3-pycriu), else crit on PATH.</summary>
    public static string Crit()
    {
        var fromEnv = Environment.GetEnvironmentVariable("STASIS_CRIT");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
            return fromEnv;
        if (File.Exists("/opt/stasis/criu/bin/crit"))
            return "/opt/stasis/criu/bin/crit";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var p = Path.Combine(dir, "crit");
            if (File.Exists(p))
                return p;
        }
        Missing("crit (CRIU's image decoder) is not provisioned: run scripts/install-criu.sh");
        return "";
    }

    private static void Missing(string why)
    {
        // A missing tool fails the test everywhere, so nothing passes for lack of having run.
        throw new InvalidOperationException($"this test needs: {why}{(InCi ? " (CI)" : "")}");
    }
}
