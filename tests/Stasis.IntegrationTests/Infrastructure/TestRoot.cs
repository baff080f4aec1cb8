using System.Globalization;
using System.Text.RegularExpressions;
using Stasis.Containers;
using Xunit;

namespace Stasis.IntegrationTests.Infrastructure;

/// <summary>A private Stasis state root with the busybox image; removes every container, mount and folder it
/// made when disposed.</summary>
internal sealed partial class TestRoot : IAsyncDisposable
{
    private TestRoot(string dir)
    {
        Dir = dir;
        Engine = new Engine(new EngineOptions { Root = dir });
    }

    public string Dir { get; }
    public Engine Engine { get; }

    public static async Task<TestRoot> CreateAsync()
    {
        Requirements.Ensure();
        var root = new TestRoot(Path.Combine(Path.GetTempPath(), "stasis-it-" + Guid.NewGuid().ToString("N")[..12]));
        await root.Engine.ImportImageAsync(BusyboxRootfs.Path, "busybox", TestContext.Current.CancellationToken);
        return root;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A shell loop printing 1, 2, 3 … every <paramref name="intervalSeconds"/>.</summary>
    public static string[] Counter(double intervalSeconds = 0.1) =>
        ["sh", "-c", $"i=0; while true; do i=$((i+1)); echo $i; sleep {intervalSeconds.ToString(CultureInfo.InvariantCulture)}; done"];

    public Task<ContainerInfo> RunAsync(string name, params string[] command) =>
        Engine.RunAsync(new CreateOptions { Image = "busybox", Name = name, Command = command }, Ct);

    public async Task<List<string>> LogAsync(string container)
    {
        var lines = new List<string>();
        await foreach (var l in Engine.ReadLogsAsync(container, false, Ct)) lines.Add(l.Text);
        return lines;
    }

    /// <summary>Numbers the container printed, in order.</summary>
    public async Task<List<long>> NumbersAsync(string container) =>
        (await LogAsync(container)).Where(l => NumberLine().IsMatch(l)).Select(long.Parse).ToList();

    /// <summary>Waits until the log satisfies <paramref name="done"/>; fails with the log if it never does.</summary>
    public async Task<List<string>> WaitForLogAsync(string container, Func<List<string>, bool> done, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var lines = await LogAsync(container);
            if (done(lines)) return lines;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"log of {container} never got there; last lines: {string.Join(" | ", lines.TakeLast(5))}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>Waits until the container has printed more than <paramref name="count"/> numbers in total.</summary>
    public async Task<List<long>> WaitForNumbersAsync(string container, int count)
    {
        await WaitForLogAsync(container, l => l.Count(x => NumberLine().IsMatch(x)) > count);
        return await NumbersAsync(container);
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex NumberLine();

    public async ValueTask DisposeAsync()
    {
        foreach (var c in await Engine.ListAsync(all: true, CancellationToken.None))
        {
            try { await Engine.RemoveAsync(c.Id, force: true, CancellationToken.None); }
            catch (StasisException) { }
        }
        // Anything still mounted below the root (a test that failed half-way) is released before deleting.
        Runtime.MountTable.DetachUnder(Dir);
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
