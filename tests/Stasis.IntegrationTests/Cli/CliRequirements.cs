using Stasis.Criu;
using Stasis.Util;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>What the CLI integration tests need. A missing piece fails the test with the reason (never a skip),
/// so CI cannot pass without having run them.</summary>
internal static class CliRequirements
{
    private static readonly Lazy<string?> Problem = new(Check);

    public static void EnsureMet()
    {
        if (Problem.Value is { } p) Assert.Fail($"CLI integration tests cannot run here: {p}");
    }

    private static string? Check()
    {
        if (!Environment.IsPrivilegedProcess) return "they must run as root (containers, overlay mounts and CRIU need it)";
        foreach (var tool in new[] { "runc", "conmon", "unshare", "nsenter", "ip" })
            if (ProcessRunner.Which(tool) is null) return $"{tool} is not on PATH (scripts/setup.sh installs it)";
        if (CriuLocator.Find(null) is not { } criu || !File.Exists(criu))
            return $"CRIU was not found (expected {CriuLocator.ProvisionedPath}; scripts/install-criu.sh provisions it)";
        if (!File.Exists(BusyboxRootfs.Busybox)) return $"{BusyboxRootfs.Busybox} is missing (apt-get install busybox-static)";
        if (!File.Exists(CliSandbox.CliDll)) return $"the CLI was not built next to the tests ({CliSandbox.CliDll})";
        if (CliSandbox.DotnetHost is null) return "no dotnet host to run the CLI with";
        return null;
    }
}
