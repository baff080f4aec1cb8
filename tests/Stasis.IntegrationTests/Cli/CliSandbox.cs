using System.Diagnostics;
using Shouldly;
using Stasis.Util;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>One test's world: a temp state root with a busybox image, the built CLI run as a user runs it
/// (`dotnet Stasis.Cli.dll --root ROOT …`), and on dispose every container removed, no mount left under the
/// root, and the root deleted.</summary>
internal sealed class CliSandbox : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    private readonly string _base = Path.Combine(Path.GetTempPath(), "stasis-cli-" + Guid.NewGuid().ToString("N")[..12]);

    private CliSandbox()
    {
        Directory.CreateDirectory(Root);
    }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "Stasis.Cli.dll");

    public static string? DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath
        : ProcessRunner.Which("dotnet");

    public string Root => Path.Combine(_base, "root");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A sandbox whose store holds the image "busybox" (imported through the CLI).</summary>
    public static async Task<CliSandbox> CreateAsync()
    {
        CliRequirements.EnsureMet();
        var sandbox = new CliSandbox();
        try
        {
            var tar = await BusyboxRootfs.CreateTarAsync(sandbox._base, Ct);
            await sandbox.OkAsync("image", "import", tar, "busybox");
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
        return sandbox;
    }

    /// <summary>Runs `stasis --root ROOT ARGS…` and returns what it did.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(DotnetHost!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { CliDll, "--root", Root }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("STASIS_ROOT");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("the CLI did not start");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync(Ct);
        var stderr = p.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"stasis {string.Join(' ', args)} did not finish within {CommandTimeout}");
        }
        return new CliResult(args, p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        r.Exit.ShouldBe(0, r.ToString());
        return r;
    }

    /// <summary>`inspect --format FIELD NAME`.</summary>
    public async Task<string> FieldAsync(string container, string field) =>
        (await OkAsync("inspect", "--format", field, container)).Out.Trim();

    /// <summary>Polls until the condition holds; fails the test with <paramref name="what"/> if it never does.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"gave up waiting: {what}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The numbers a counting container printed so far, in order.</summary>
    public async Task<List<long>> NumbersLoggedAsync(string container) =>
        (await OkAsync("logs", container)).OutLines
            .Select(l => long.TryParse(l.Trim(), out var n) ? (long?)n : null).OfType<long>().ToList();

    public async ValueTask DisposeAsync()
    {
        var problems = new List<string>();
        if (Directory.Exists(Path.Combine(Root, "containers")))
        {
            var engine = new Engine(new EngineOptions { Root = Root });
            foreach (var c in await engine.ListAsync(all: true, CancellationToken.None))
            {
                try { await engine.RemoveAsync(c.Id, force: true, CancellationToken.None); }
                catch (StasisException e) { problems.Add($"rm -f {c.Name} failed: {e.Message}"); }
            }
        }
        foreach (var mount in MountsUnder(_base))
        {
            problems.Add($"mount left behind: {mount}");
            Interop.LibcMount.Umount2(mount, Interop.LibcMount.MNT_DETACH);
        }
        try
        {
            if (Directory.Exists(_base)) Directory.Delete(_base, recursive: true);
        }
        catch (IOException e)
        {
            problems.Add($"cannot delete {_base}: {e.Message}");
        }
        if (problems.Count > 0) Assert.Fail("the test left things behind:\n" + string.Join('\n', problems));
    }

    /// <summary>Mount points at or below a folder, deepest first.</summary>
    public static List<string> MountsUnder(string folder) => Runtime.MountTable.Under(folder);
}
