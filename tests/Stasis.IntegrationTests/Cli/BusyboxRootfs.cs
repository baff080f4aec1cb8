using System.Diagnostics;
using System.Formats.Tar;

namespace Stasis.IntegrationTests.Cli;

/// <summary>A minimal rootfs tarball made from the host's static busybox: bin/busybox with its applet links,
/// etc/passwd and the usual empty mount points.</summary>
internal static class BusyboxRootfs
{
    public const string Busybox = "/bin/busybox";

    public static async Task<string> CreateTarAsync(string folder, CancellationToken ct)
    {
        var tree = Path.Combine(folder, "rootfs");
        foreach (var d in new[] { "bin", "etc", "tmp", "proc", "sys", "dev", "root" })
            Directory.CreateDirectory(Path.Combine(tree, d));
        File.Copy(Busybox, Path.Combine(tree, "bin", "busybox"));
        foreach (var applet in await AppletsAsync(ct))
            if (applet != "busybox") File.CreateSymbolicLink(Path.Combine(tree, "bin", applet), "busybox");
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n", ct);
        await File.WriteAllTextAsync(Path.Combine(tree, "etc", "group"), "root:x:0:\n", ct);
        var tar = Path.Combine(folder, "busybox-rootfs.tar");
        await TarFile.CreateFromDirectoryAsync(tree, tar, includeBaseDirectory: false, ct);
        Directory.Delete(tree, recursive: true);
        return tar;
    }

    private static async Task<string[]> AppletsAsync(CancellationToken ct)
    {
        var psi = new ProcessStartInfo(Busybox, "--list") { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
