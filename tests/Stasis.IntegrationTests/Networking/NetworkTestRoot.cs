using System.Net.Sockets;
using System.Text;
using Shouldly;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Stasis.Util;

namespace Stasis.IntegrationTests.Networking;

/// <summary>A TestRoot with a bridge network of the test's own (10.213.N.0/24, never routed anywhere else), and the
/// host's networking state captured first so the end can prove nothing was left behind.</summary>
internal sealed class NetworkTestRoot : IAsyncDisposable
{
    private NetworkTestRoot(TestRoot root, string network, HostNetworkState before)
    {
        Root = root;
        Network = network;
        Before = before;
    }

    public TestRoot Root { get; }
    public Engine Engine => Root.Engine;
    public string Network { get; }
    public HostNetworkState Before { get; }

    public static async Task<NetworkTestRoot> CreateAsync(int subnet)
    {
        foreach (var tool in new[] { "iptables", "iptables-save" })
            if (ProcessRunner.Which(tool) is null) throw new InvalidOperationException($"{tool} is not installed (apt-get install iptables)");
        if (!File.Exists("/usr/lib/cni/bridge") || !File.Exists("/usr/lib/cni/host-local") || !File.Exists("/usr/lib/cni/portmap"))
            throw new InvalidOperationException("the CNI plugins are not installed (apt-get install containernetworking-plugins)");
        var before = await HostNetworkState.CaptureAsync();
        var root = await TestRoot.CreateAsync();
        var name = "it" + subnet;
        await root.Engine.CreateNetworkAsync(name, $"10.213.{subnet}.0/24", null, TestRoot.Ct);
        return new NetworkTestRoot(root, name, before);
    }

    public Task<ContainerInfo> RunAsync(string name, string[] command, string? ip = null, params string[] ports) =>
        Engine.RunAsync(new CreateOptions { Image = "busybox", Name = name, Command = command, Network = Network, Ip = ip, Ports = ports }, TestRoot.Ct);

    public async Task<string> ExecAsync(string container, params string[] command)
    {
        var r = await Engine.ExecAsync(container, new ExecOptions { Command = command, CaptureOutput = true }, TestRoot.Ct);
        return r.StandardOutput ?? "";
    }

    /// <summary>The lines of a file in the container, as numbers.</summary>
    public async Task<List<long>> NumbersInAsync(string container, string file) =>
        (await ExecAsync(container, "cat", file)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();

    /// <summary>Waits until a container's port accepts connections (the server inside has started).</summary>
    public static async Task WaitForPortAsync(string ip, int port, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(ip, port, TestRoot.Ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, TestRoot.Ct);
            }
        }
    }

    /// <summary>Connects, reads what the server says until it closes, returns it trimmed.</summary>
    public static async Task<string> AskAsync(string ip, int port)
    {
        using var c = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestRoot.Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await c.ConnectAsync(ip, port, timeout.Token);
        using var ms = new MemoryStream();
        await c.GetStream().CopyToAsync(ms, timeout.Token);
        return Encoding.ASCII.GetString(ms.ToArray()).Trim();
    }

    /// <summary>Removes every container and the test's network, then proves the host is as it was: no new rule,
    /// no veth or bridge, no namespace file, no address allocation, no attachment.</summary>
    public async Task RemoveAllAndAssertCleanAsync()
    {
        foreach (var c in await Engine.ListAsync(all: true, TestRoot.Ct)) await Engine.RemoveAsync(c.Id, force: true, TestRoot.Ct);
        await Engine.RemoveNetworkAsync(Network, TestRoot.Ct);
        var after = await HostNetworkState.CaptureAsync();
        after.NewRules(Before).ShouldBeEmpty("every iptables rule a container got is gone");
        after.NewLinks(Before).Where(l => l != "stasis0").ShouldBeEmpty("every veth and the test's bridge are gone");
        var run = Path.Combine(Root.Dir, "run");
        Files(Path.Combine(run, "netns")).ShouldBeEmpty("no network namespace file is left");
        Files(Path.Combine(run, "networks", "attachments")).ShouldBeEmpty("no attachment is left");
        Files(Path.Combine(run, "networks", "ipam")).Where(f => !f.EndsWith("/lock", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("last_reserved_ip", StringComparison.Ordinal))
            .ShouldBeEmpty("no address stays allocated");
    }

    private static IEnumerable<string> Files(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories) : [];

    public async ValueTask DisposeAsync()
    {
        // A test that failed half-way still leaves nothing: containers (and with them their attachments) first.
        foreach (var c in await Engine.ListAsync(all: true, CancellationToken.None))
        {
            try { await Engine.RemoveAsync(c.Id, force: true, CancellationToken.None); }
            catch (StasisException) { }
        }
        try { await Engine.RemoveNetworkAsync(Network, CancellationToken.None); }
        catch (StasisException) { }
        await Root.DisposeAsync();
    }
}
