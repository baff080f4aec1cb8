using Stasis.IntegrationTests.Infrastructure;
using Stasis.Util;

namespace Stasis.IntegrationTests.Images;

/// <summary>The image tools the archive tests drive (umoci, skopeo, podman, tar). A missing one fails the test
/// with the fix; it never skips, in CI or elsewhere.</summary>
internal static class ImageTools
{
    public static void Ensure(params string[] tools)
    {
        Requirements.Ensure();
        foreach (var tool in tools)
            if (ProcessRunner.Which(tool) is null)
                throw new InvalidOperationException($"image tests need {tool}: apt-get install {tool} (or run scripts/setup.sh)");
    }

    /// <summary>Runs a tool and returns its standard output; a failure fails the test with the tool's reason.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var r = await ProcessRunner.RunAsync(tool, args, CancellationToken.None);
        if (!r.Succeeded) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {r.Reason}");
        return r.StandardOutput;
    }

    /// <summary>Podman with a private store (vfs: no mounts to undo), the runtime and limits this host needs.</summary>
    public static string[] Podman(string dir, params string[] args) =>
        ["--root", Path.Combine(dir, "root"), "--runroot", Path.Combine(dir, "runroot"), "--storage-driver", "vfs",
         "--cgroup-manager", "cgroupfs", "--events-backend", "none", .. args];
}
