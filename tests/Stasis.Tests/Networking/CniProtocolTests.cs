using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Containers;
using Stasis.Networking;
using Stasis.Tests.Core;
using Xunit;

namespace Stasis.Tests.Networking;

/// <summary>The CNI spec as a runtime must follow it, checked against fake plugins (shell scripts) that record
/// their environment and stdin: ADD in order with prevResult, DEL in reverse, capabilities as runtimeConfig,
/// errors carried with the plugin's own message, and nothing kept after a failed ADD.</summary>
public sealed class CniProtocolTests : IDisposable
{
    private const string Id = "feed000000000000000000000000000000000000000000000000000000000000";
    private const string Result =
        """{"cniVersion":"1.0.0","interfaces":[{"name":"stasis0","mac":"aa:00:00:00:00:01"},{"name":"vethabc","mac":"aa:00:00:00:00:02"},{"name":"eth0","mac":"aa:00:00:00:00:03","sandbox":"/ns"}],"ips":[{"interface":2,"address":"10.77.0.9/24","gateway":"10.77.0.1"}]}""";

    private readonly TempDirectory _dir = new();
    private readonly string _plugins;
    private readonly StorePaths _paths;

    public CniProtocolTests()
    {
        _plugins = Path.Combine(_dir.Path, "plugins");
        Directory.CreateDirectory(_plugins);
        _paths = new StorePaths(Path.Combine(_dir.Path, "root"), Path.Combine(_dir.Path, "run"));
        Plugin("bridge", $"echo '{Result}'");
        Plugin("portmap", "cat \"$log/stdin-portmap-ADD\" | sed -n 's/.*\"prevResult\":\\({.*}\\)}$/\\1/p'");
    }

    public void Dispose() => _dir.Dispose();

    private void Plugin(string type, string onAdd, int addExit = 0)
    {
        var file = Path.Combine(_plugins, type);
        File.WriteAllText(file, $"""
            #!/bin/sh
            log='{_dir.Path}'
            cat > "$log/stdin-{type}-$CNI_COMMAND"
            echo "{type} $CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_PATH" >> "$log/calls"
            if [ "$CNI_COMMAND" = ADD ]; then {onAdd}; exit {addExit}; fi
            exit 0
            """);
        if (OperatingSystem.IsLinux()) File.SetUnixFileMode(file, (UnixFileMode)0x1ED);
    }

    private NetworkManager Manager => new(_paths, new CniPluginRunner([_plugins]));

    private static ContainerRecord Record() => new()
    {
        Id = Id, Name = "c", Image = "i", ImageId = "i", Network = NetworkModes.DefaultNetwork,
        Ports = [new PortMapping(8080, 80)],
    };

    private string[] Calls() => File.ReadAllLines(Path.Combine(_dir.Path, "calls"));

    private JsonObject Stdin(string type, string command) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, $"stdin-{type}-{command}")))!.AsObject();

    [Fact]
    public async Task Add_runs_the_chain_in_order_with_the_spec_environment_prevResult_and_runtimeConfig()
    {
        var a = await Manager.AttachAsync(Record(), "/ns", new NetworkRequest { Ip = "10.77.0.9", Mac = "aa:00:00:00:00:03" }, TestContext.Current.CancellationToken);

        Calls().ShouldBe([$"bridge ADD {Id} /ns eth0 {_plugins}", $"portmap ADD {Id} /ns eth0 {_plugins}"]);
        var bridge = Stdin("bridge", "ADD");
        bridge["name"]!.GetValue<string>().ShouldBe("stasis");
        bridge["cniVersion"]!.GetValue<string>().ShouldBe("1.0.0");
        bridge["runtimeConfig"]!["ips"]![0]!.GetValue<string>().ShouldBe("10.77.0.9");
        bridge["runtimeConfig"]!["mac"]!.GetValue<string>().ShouldBe("aa:00:00:00:00:03");
        bridge["runtimeConfig"]!["portMappings"].ShouldBeNull("bridge does not declare that capability");
        bridge["ipam"]!["dataDir"]!.GetValue<string>().ShouldBe(Path.Combine(_dir.Path, "run", "networks", "ipam"));
        bridge["prevResult"].ShouldBeNull();
        var portmap = Stdin("portmap", "ADD");
        portmap["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>().ShouldBe("10.77.0.9/24");
        portmap["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!.GetValue<int>().ShouldBe(8080);
        portmap["runtimeConfig"]!["portMappings"]![0]!["protocol"]!.GetValue<string>().ShouldBe("tcp");

        a.Ip.ShouldBe("10.77.0.9");
        a.Mac.ShouldBe("aa:00:00:00:00:03");
        a.Gateway.ShouldBe("10.77.0.1");
        a.HostVeth.ShouldBe("vethabc");
        Manager.TryGetAttachment(Id)!.Ip.ShouldBe("10.77.0.9", "the attachment is kept for DEL and inspect");
    }

    [Fact]
    public async Task Del_runs_the_chain_in_reverse_with_the_cached_result_and_forgets_the_attachment()
    {
        await Manager.AttachAsync(Record(), "/ns", null, TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(_dir.Path, "calls"));
        await Manager.DetachAsync(Id, TestContext.Current.CancellationToken);
        Calls().Select(c => string.Join(' ', c.Split(' ').Take(2))).ShouldBe(["portmap DEL", "bridge DEL"]);
        Stdin("bridge", "DEL")["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>().ShouldBe("10.77.0.9/24");
        Manager.TryGetAttachment(Id).ShouldBeNull();
        await Manager.DetachAsync(Id, TestContext.Current.CancellationToken); // idempotent
    }

    [Fact]
    public async Task A_failed_add_reports_the_plugins_message_and_undoes_everything_with_del()
    {
        Plugin("portmap", """echo '{"cniVersion":"1.0.0","code":7,"msg":"port in use","details":"8080"}'""", addExit: 1);
        var e = await Should.ThrowAsync<StasisException>(() => Manager.AttachAsync(Record(), "/ns", null, TestContext.Current.CancellationToken));
        e.Message.ShouldContain("portmap");
        e.Message.ShouldContain("port in use (8080)");
        Calls().Select(c => string.Join(' ', c.Split(' ').Take(2))).ShouldBe(["bridge ADD", "portmap ADD", "portmap DEL", "bridge DEL"]);
        Manager.TryGetAttachment(Id).ShouldBeNull("nothing of a failed attach is kept");
    }

    [Fact]
    public void Network_status_is_a_list_of_CNI_results_and_gives_back_address_and_mac()
    {
        var file = Path.Combine(_dir.Path, "network.status");
        NetworkStatus.Write(file, new NetworkAttachment { ContainerId = Id, Network = "stasis", Netns = "/ns", Result = JsonNode.Parse(Result)!.AsObject() });
        JsonNode.Parse(File.ReadAllText(file)).ShouldBeOfType<JsonArray>();
        NetworkStatus.Read(file).ShouldBe(("10.77.0.9", "aa:00:00:00:00:03"));
        NetworkStatus.Read(Path.Combine(_dir.Path, "absent")).ShouldBe((null, null));
    }

    [Fact]
    public void Validate_refuses_addresses_and_ports_where_there_is_no_bridge_and_addresses_outside_the_subnet()
    {
        var m = Manager;
        m.Validate(null, null, []).Mode.ShouldBe(NetworkModes.None);
        Should.Throw<StasisException>(() => m.Validate("host", "10.77.0.5", []));
        Should.Throw<StasisException>(() => m.Validate("none", null, ["80:80"]));
        Should.Throw<StasisException>(() => m.Validate("stasis", "10.78.0.5", []));
        Should.Throw<StasisException>(() => m.Validate("stasis", "10.77.0.1", []), "the gateway");
        Should.Throw<StasisException>(() => m.Validate("stasis", null, ["80:80", "80:81"]), "one host port twice");
        m.Validate("stasis", null, ["80:80/tcp", "80:81/udp", "81:81"]).Ports.Count.ShouldBe(3, "one port number, two protocols");
        var ok = m.Validate("stasis", "10.77.0.5", ["80:80"]);
        ok.Mode.ShouldBe("stasis");
        ok.Ip.ShouldBe("10.77.0.5");
        ok.Ports.ShouldBe([new PortMapping(80, 80)]);
    }
}
