using Shouldly;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Stasis.Networking;
using Xunit;

namespace Stasis.IntegrationTests.Networking;

/// <summary>Issue 4 on the real tools: CNI bridge networks, published ports, and live TCP connections with busy
/// peers across checkpoint and restore. Each test has its own 10.213.N.0/24 network and ends by proving that no
/// rule, veth, namespace or allocation is left.</summary>
[Collection(HostNetworkCollection.Name)]
public sealed class NetworkingTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    private static readonly string[] Receiver = ["sh", "-c", "nc -l -p 7000 > /tmp/got; sleep 1000"];

    private static void ShouldBeOneToN(List<long> got, int n, string who)
    {
        got.Count.ShouldBe(n, $"{who}: every number arrived exactly once");
        got.ShouldBe(Enumerable.Range(1, n).Select(i => (long)i).ToList(), $"{who}: in order, none lost or repeated");
    }

    [Fact]
    public async Task A_host_client_sending_every_100ms_keeps_its_connection_across_checkpoint_and_restore_in_place()
    {
        await using var t = await NetworkTestRoot.CreateAsync(1);
        var c = await t.RunAsync("srv", Receiver);
        c.IpAddress.ShouldNotBeNull();
        c.IpAddress.ShouldStartWith("10.213.1.");
        await Task.Delay(500, Ct); // nc accepts a single connection: no probe, the client is the first

        await using var client = await NumberClient.ConnectAsync(c.IpAddress!, 7000, Ct);
        await Task.Delay(1000, Ct);
        await t.Engine.CheckpointAsync("srv", new CheckpointOptions { Name = "live", TcpEstablished = true }, Ct);
        var status = Path.Combine(t.Root.Dir, "containers", c.Id, "checkpoints", "live", "network.status");
        File.ReadAllText(status).ShouldContain(c.IpAddress!);
        await Task.Delay(700, Ct); // the client keeps sending into the held namespace
        var r = await t.Engine.RestoreAsync("srv", null, Ct);
        r.Container.IpAddress.ShouldBe(c.IpAddress, "restored in place with the same address");
        r.Container.MacAddress.ShouldBe(c.MacAddress, "and the same MAC");
        await Task.Delay(1500, Ct);
        var sent = await client.StopAsync();
        client.Failure.ShouldBeNull("the busy peer's connection was never reset");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        var got = await t.NumbersInAsync("srv", "/tmp/got");
        while (got.Count < sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            got = await t.NumbersInAsync("srv", "/tmp/got");
        }
        ShouldBeOneToN(got, sent, "host client");
        sent.ShouldBeGreaterThan(25);
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task A_line_sent_while_the_container_is_checkpointed_is_answered_as_soon_as_it_is_back_not_at_the_peers_next_retransmission()
    {
        await using var t = await NetworkTestRoot.CreateAsync(7);
        var c = await t.RunAsync("echo", ["nc", "-ll", "-p", "7000", "-e", "cat"]);
        await Task.Delay(500, Ct);
        using var peer = new System.Net.Sockets.TcpClient { NoDelay = true };
        await peer.ConnectAsync(c.IpAddress!, 7000, Ct);
        var stream = peer.GetStream();
        var reader = new StreamReader(stream);
        await stream.WriteAsync("before\n"u8.ToArray(), Ct);
        (await reader.ReadLineAsync(Ct)).ShouldBe("before");

        await t.Engine.CheckpointAsync("echo", new CheckpointOptions { Name = "held", TcpEstablished = true }, Ct);
        var veth = t.Engine.Runtime.Network.TryGetAttachment(c.Id)?.HostVeth;
        veth.ShouldNotBeNull();
        (await VethQueue.IsHeldAsync(veth, Ct)).ShouldBeTrue("while checkpointed, the container's traffic waits on its veth");
        await stream.WriteAsync("during\n"u8.ToArray(), Ct);
        // TCP retransmits an unanswered segment after about 0.2, 0.6, 1.4, 3.0 and 6.2 s; past 3.0 s the next try
        // is seconds away, so only a segment that waited in the queue is answered right after the restore.
        await Task.Delay(3300, Ct);
        await t.Engine.RestoreAsync("echo", null, Ct);
        var back = System.Diagnostics.Stopwatch.StartNew();
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            (await reader.ReadLineAsync(timeout.Token)).ShouldBe("during", "the line sent while the container was down arrives once, intact");
        }
        back.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.2), "the queued line is delivered when the sockets are back, not at the peer's next retransmission (~2.5 s later)");
        (await VethQueue.IsHeldAsync(veth, Ct)).ShouldBeFalse("the queue is gone once the container runs");
        await stream.WriteAsync("after\n"u8.ToArray(), Ct);
        (await reader.ReadLineAsync(Ct)).ShouldBe("after");
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task A_container_exported_with_its_connections_removed_and_imported_again_keeps_its_address_and_the_peer_keeps_talking()
    {
        await using var t = await NetworkTestRoot.CreateAsync(8);
        var c = await t.RunAsync("mig", ["nc", "-ll", "-p", "7000", "-e", "cat"], null, "18434:7000");
        await Task.Delay(500, Ct);
        using var peer = new System.Net.Sockets.TcpClient { NoDelay = true };
        await peer.ConnectAsync(c.IpAddress!, 7000, Ct);
        var stream = peer.GetStream();
        var reader = new StreamReader(stream);
        await stream.WriteAsync("before\n"u8.ToArray(), Ct);
        (await reader.ReadLineAsync(Ct)).ShouldBe("before");

        // The migration recipe: export, the source goes away, the archive is imported (here on the same host).
        var archive = Path.Combine(t.Root.Dir, "mig.tar.zst");
        await t.Engine.CheckpointAndExportAsync("mig", new CheckpointOptions { TcpEstablished = true }, archive, null, Ct);
        await t.Engine.RemoveAsync("mig", force: true, Ct);
        var imported = await t.Engine.ImportCheckpointAsync(archive, new ImportOptions { Name = "mig2" }, Ct);
        imported.Container.IpAddress.ShouldBe(c.IpAddress, "the connections belong to the checkpoint's address");
        imported.Container.MacAddress.ShouldBe(c.MacAddress);
        imported.Container.Ports.ShouldBe(["18434:7000/tcp"], "the archive's published ports come along");

        await stream.WriteAsync("after\n"u8.ToArray(), Ct);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            (await reader.ReadLineAsync(timeout.Token)).ShouldBe("after", "the same connection goes on in the imported container");
        }
        using (var fresh = new System.Net.Sockets.TcpClient { NoDelay = true })
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await fresh.ConnectAsync("127.0.0.1", 18434, timeout.Token);
            await fresh.GetStream().WriteAsync("new\n"u8.ToArray(), timeout.Token);
            (await new StreamReader(fresh.GetStream()).ReadLineAsync(timeout.Token)).ShouldBe("new", "the published port answers a new connection");
        }
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task After_the_runtime_network_state_is_lost_restore_in_place_reattaches_with_the_same_address_and_mac_and_the_peer_survives()
    {
        await using var t = await NetworkTestRoot.CreateAsync(5);
        var c = await t.RunAsync("srv", Receiver);
        await Task.Delay(500, Ct);
        await using var client = await NumberClient.ConnectAsync(c.IpAddress!, 7000, Ct);
        await Task.Delay(800, Ct);
        await t.Engine.CheckpointAsync("srv", new CheckpointOptions { Name = "live", TcpEstablished = true }, Ct);
        // What a reboot (or a checkpoint brought from elsewhere) leaves: no namespace, no veth, no allocation.
        await t.Engine.Runtime.Network.DetachAsync(c.Id, Ct);
        Stasis.Networking.NetnsManager.Remove(t.Engine.Paths.Netns(c.Id));
        await Task.Delay(500, Ct);

        var r = await t.Engine.RestoreAsync("srv", null, Ct);
        r.Container.IpAddress.ShouldBe(c.IpAddress, "host-local was asked for the checkpoint's address");
        r.Container.MacAddress.ShouldBe(c.MacAddress, "the bridge plugin was asked for the checkpoint's MAC");
        await Task.Delay(2500, Ct);
        var sent = await client.StopAsync();
        client.Failure.ShouldBeNull("the traffic hold kept the new namespace from resetting the peer");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var got = await t.NumbersInAsync("srv", "/tmp/got");
        while (got.Count < sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, Ct);
            got = await t.NumbersInAsync("srv", "/tmp/got");
        }
        ShouldBeOneToN(got, sent, "host client after re-attach");
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task While_held_a_namespace_drops_packets_instead_of_resetting_the_peer()
    {
        await using var t = await NetworkTestRoot.CreateAsync(6);
        var c = await t.RunAsync("quiet", ["sleep", "1000"]);
        var netns = t.Engine.Paths.Netns(c.Id);
        // Nothing listens on 7001: without the hold the SYN is answered by RST at once.
        await Should.ThrowAsync<System.Net.Sockets.SocketException>(() => NetworkTestRoot.AskAsync(c.IpAddress!, 7001));

        await TrafficHold.InsertAsync(netns, Ct);
        await TrafficHold.InsertAsync(netns, Ct); // idempotent
        using (var probe = new System.Net.Sockets.TcpClient())
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(1.5));
            await Should.ThrowAsync<OperationCanceledException>(() => probe.ConnectAsync(c.IpAddress!, 7001, timeout.Token).AsTask(),
                "a held namespace stays silent: the peer keeps retransmitting");
        }
        await TrafficHold.ReleaseAsync(netns, Ct);
        (await TrafficHold.ExistsAsync(netns, Ct)).ShouldBeFalse();
        await Should.ThrowAsync<System.Net.Sockets.SocketException>(() => NetworkTestRoot.AskAsync(c.IpAddress!, 7001));
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task A_container_client_keeps_its_connection_to_another_container_across_the_servers_checkpoint_and_restore()
    {
        await using var t = await NetworkTestRoot.CreateAsync(2);
        var srv = await t.RunAsync("srv", Receiver);
        await Task.Delay(300, Ct);
        // busybox nc -e runs the sender with its stdio on the connection (nc ends at once when stdin is a pipe).
        await t.RunAsync("cli", ["sh", "-c",
            "echo 'i=0; while [ $i -lt 40 ]; do i=$((i+1)); echo $i; sleep 0.1; done' > /tmp/send.sh; " +
            $"nc {srv.IpAddress} 7000 -e sh /tmp/send.sh; echo done > /tmp/finished; sleep 1000"]);
        await Task.Delay(1000, Ct);
        await t.Engine.CheckpointAsync("srv", new CheckpointOptions { Name = "live", TcpEstablished = true }, Ct);
        await Task.Delay(500, Ct);
        (await t.Engine.RestoreAsync("srv", null, Ct)).Container.IpAddress.ShouldBe(srv.IpAddress);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await t.ExecAsync("cli", "cat", "/tmp/finished")).Trim() != "done" && DateTime.UtcNow < deadline) await Task.Delay(200, Ct);
        ShouldBeOneToN(await t.NumbersInAsync("srv", "/tmp/got"), 40, "container client");
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task A_published_port_answers_before_and_after_restore_and_two_copies_each_get_their_own_address()
    {
        await using var t = await NetworkTestRoot.CreateAsync(3);
        string[] hello = ["nc", "-ll", "-p", "8080", "-e", "echo", "hi"];
        var c = await t.RunAsync("web", hello, null, "18431:8080");
        c.Ports.ShouldBe(["18431:8080/tcp"]);
        await NetworkTestRoot.WaitForPortAsync(c.IpAddress!, 8080);
        (await NetworkTestRoot.AskAsync("127.0.0.1", 18431)).ShouldBe("hi");

        await t.Engine.CheckpointAsync("web", new CheckpointOptions { Name = "cp" }, Ct);
        var r = await t.Engine.RestoreAsync("web", null, Ct);
        r.Container.IpAddress.ShouldBe(c.IpAddress);
        (await NetworkTestRoot.AskAsync("127.0.0.1", 18431)).ShouldBe("hi", "the published port answers after restore");

        var refused = await Should.ThrowAsync<StasisException>(() =>
            t.Engine.RestoreAsync("web", new RestoreOptions { Checkpoint = "cp", Name = "tcp-copy", TcpEstablished = true }, Ct));
        refused.Code.ShouldBe(StasisErrorCode.InvalidArgument);
        refused.Message.ShouldContain(c.IpAddress!);
        var busy = await Should.ThrowAsync<StasisException>(() =>
            t.Engine.RestoreAsync("web", new RestoreOptions { Checkpoint = "cp", Name = "same-port" }, Ct));
        busy.Message.ShouldContain("18431");

        var a = (await t.Engine.RestoreAsync("web", new RestoreOptions { Checkpoint = "cp", Name = "copy-a", Ports = ["18432:8080"] }, Ct)).Container;
        var b = (await t.Engine.RestoreAsync("web", new RestoreOptions { Checkpoint = "cp", Name = "copy-b", Ip = "10.213.3.77", Ports = ["18433:8080"] }, Ct)).Container;
        new[] { c.IpAddress, a.IpAddress, b.IpAddress }.Distinct().Count().ShouldBe(3, "each copy has its own address");
        b.IpAddress.ShouldBe("10.213.3.77");
        a.MacAddress.ShouldNotBe(c.MacAddress);
        foreach (var ip in new[] { a.IpAddress!, b.IpAddress! })
            (await NetworkTestRoot.AskAsync(ip, 8080)).ShouldBe("hi");
        (await NetworkTestRoot.AskAsync("127.0.0.1", 18432)).ShouldBe("hi");
        (await NetworkTestRoot.AskAsync("127.0.0.1", 18433)).ShouldBe("hi");
        (await NetworkTestRoot.AskAsync("127.0.0.1", 18431)).ShouldBe("hi", "the original still answers beside its copies");
        await t.RemoveAllAndAssertCleanAsync();
    }

    [Fact]
    public async Task Failures_leave_nothing_behind_and_the_default_and_host_modes_work()
    {
        await using var t = await NetworkTestRoot.CreateAsync(4);
        string[] sleep = ["sleep", "1000"];
        var first = await t.RunAsync("first", sleep, "10.213.4.10", "18441:80");
        first.IpAddress.ShouldBe("10.213.4.10");

        (await Should.ThrowAsync<StasisException>(() => t.RunAsync("taken", sleep, "10.213.4.10"))).Code.ShouldBe(StasisErrorCode.Conflict);
        (await Should.ThrowAsync<StasisException>(() => t.RunAsync("port", sleep, null, "18441:80"))).Message.ShouldContain("18441");
        (await Should.ThrowAsync<StasisException>(() => t.RunAsync("outside", sleep, "10.9.9.9"))).Code.ShouldBe(StasisErrorCode.InvalidArgument);
        (await Should.ThrowAsync<StasisException>(() => t.Engine.RunAsync(new CreateOptions { Image = "busybox", Command = sleep, Network = "nope" }, Ct)))
            .Code.ShouldBe(StasisErrorCode.NotFound);
        (await t.Engine.ListAsync(true, Ct)).Select(x => x.Name).ShouldBe(["first"], "no half-made container");
        Directory.GetFiles(Path.Combine(t.Root.Dir, "run", "networks", "attachments")).Length.ShouldBe(1);
        (await Should.ThrowAsync<StasisException>(() => t.Engine.RemoveNetworkAsync(t.Network, Ct))).Code.ShouldBe(StasisErrorCode.Conflict);

        var def = await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "def", Command = sleep, Network = NetworkModes.DefaultNetwork }, Ct);
        def.IpAddress.ShouldNotBeNull();
        def.IpAddress.ShouldStartWith("10.77.0.");
        t.Engine.ListNetworks()[0].IsDefault.ShouldBeTrue();

        var host = await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "host", Command = sleep, Network = NetworkModes.Host }, Ct);
        host.IpAddress.ShouldBeNull();
        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.CheckpointAsync("host", new CheckpointOptions { TcpEstablished = true }, Ct));
        e.Message.ShouldContain("host's network");
        await t.RemoveAllAndAssertCleanAsync();
    }
}
