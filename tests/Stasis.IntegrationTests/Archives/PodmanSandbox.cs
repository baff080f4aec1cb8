using System.Diagnostics;
using Stasis.Util;

namespace Stasis.IntegrationTests.Archives;

/// <summary>Podman 4.3.1 with a private root and run root (removed on dispose), with the flags it needs on this machine
/// and the provisioned CRIU ≥ 4.2 first on its PATH. A missing podman fails the test, never skips it.</summary>
internal sealed class PodmanSandbox : IAsyncDisposable
{
    private PodmanSandbox(string dir) => Dir = dir;

    public string Dir { get; }

    public static PodmanSandbox Create()
    {
        if (ProcessRunner.Which("podman") is null) throw new InvalidOperationException("podman is not installed (apt-get install podman)");
        return new PodmanSandbox(Directory.CreateTempSubdirectory("stasis-it-podman-").FullName);
    }

    public static readonly string[] RunFlags = ["--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096", "--network", "none"];

    public async Task<string> RunAsync(CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("podman")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--root", Path.Combine(Dir, "root"), "--runroot", Path.Combine(Dir, "run"), "--runtime", "runc",
                     "--cgroup-manager", "cgroupfs", "--events-backend", "none" }.Concat(args))
            psi.ArgumentList.Add(a);
        var criuDir = Path.GetDirectoryName(Stasis.Criu.CriuLocator.Find(null)!)!;
        psi.Environment["PATH"] = criuDir + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"podman {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        return (await stdout).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync(CancellationToken.None, "rm", "-af", "-t", "0"); }
        catch (InvalidOperationException) { }
        try { await RunAsync(CancellationToken.None, "rmi", "-af"); }
        catch (InvalidOperationException) { }
        Runtime.MountTable.DetachUnder(Dir);
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
