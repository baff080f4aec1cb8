using Shouldly;
using Stasis.Networking;
using Stasis.Tests.Core;
using Xunit;

namespace Stasis.Tests.Networking;

/// <summary>Network definitions on disk: the default network appears on first use, names and damage are caught.</summary>
public sealed class NetworkStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly NetworkStore _store;

    public NetworkStoreTests() => _store = Store(_root.Path);

    private static NetworkStore Store(string root) => new(new NetworkPaths(new StorePaths(root, Path.Combine(root, "run"))));

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_default_network_exists_out_of_the_box_and_cannot_be_removed()
    {
        var list = _store.List();
        list.Count.ShouldBe(1);
        var d = list[0];
        d.Name.ShouldBe(NetworkModes.DefaultNetwork);
        d.IsDefault.ShouldBeTrue();
        d.Subnet.ToString().ShouldBe(NetworkStore.DefaultSubnet);
        d.Subnet.ToString().ShouldNotStartWith("10.88.", customMessage: "not Podman's subnet");
        d.Gateway.ToString().ShouldBe("10.77.0.1");
        d.Bridge.ShouldBe("stasis0");
        File.Exists(Path.Combine(_root.Path, "networks", "stasis.conflist")).ShouldBeTrue();
        Should.Throw<StasisException>(() => _store.Remove(NetworkModes.DefaultNetwork)).Code.ShouldBe(StasisErrorCode.Conflict);
    }

    [Fact]
    public void The_stored_conflist_chains_bridge_with_host_local_and_portmap_and_declares_capabilities()
    {
        var conf = _store.Get(NetworkModes.DefaultNetwork).ConfList;
        conf["cniVersion"]!.GetValue<string>().ShouldBe("1.0.0");
        var plugins = conf["plugins"]!.AsArray();
        plugins.Select(p => p!["type"]!.GetValue<string>()).ShouldBe(["bridge", "portmap"]);
        plugins[0]!["ipam"]!["type"]!.GetValue<string>().ShouldBe("host-local");
        plugins[0]!["capabilities"]!["ips"]!.GetValue<bool>().ShouldBeTrue();
        plugins[0]!["capabilities"]!["mac"]!.GetValue<bool>().ShouldBeTrue();
        plugins[1]!["capabilities"]!["portMappings"]!.GetValue<bool>().ShouldBeTrue();
        plugins[0]!["ipam"]!["dataDir"].ShouldBeNull("the allocation folder is set per call, under the run root");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    [InlineData("-x")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Mode_words_and_bad_names_are_refused(string name) =>
        Should.Throw<StasisException>(() => NetworkStore.ValidateName(name)).Code.ShouldBe(StasisErrorCode.InvalidArgument);

    [Fact]
    public void Unknown_networks_are_not_found() =>
        Should.Throw<StasisException>(() => _store.Get("nope")).Code.ShouldBe(StasisErrorCode.NotFound);

    [Fact]
    public void Bridge_names_fit_the_kernel_and_differ_between_roots()
    {
        using var other = new TempDirectory();
        var a = _store.BridgeName("web");
        a.Length.ShouldBeLessThanOrEqualTo(15);
        a.ShouldNotBe(Store(other.Path).BridgeName("web"));
        a.ShouldNotBe(_store.BridgeName("db"));
    }

    [Fact]
    public void A_damaged_definition_is_reported_with_its_path()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "networks"));
        File.WriteAllText(Path.Combine(_root.Path, "networks", "bad.conflist"), "{ not json");
        var e = Should.Throw<StasisException>(() => _store.Get("bad"));
        e.Message.ShouldContain("bad.conflist");
    }

    [Theory]
    [InlineData("10.77.5.0/24", true)]
    [InlineData("10.77.5.1/24", false)]
    [InlineData("10.0.0.0/31", false)]
    [InlineData("fd00::/64", false)]
    public void Subnets_are_IPv4_CIDRs_without_host_bits(string text, bool ok)
    {
        if (ok) Ipv4.ParseSubnet(text).ToString().ShouldBe(text);
        else Should.Throw<StasisException>(() => Ipv4.ParseSubnet(text));
    }

    [Fact]
    public void Host_addresses_exclude_network_and_broadcast()
    {
        var net = Ipv4.ParseSubnet("10.1.2.0/24");
        Ipv4.IsHostAddress(net, Ipv4.ParseAddress("10.1.2.0", "a")).ShouldBeFalse();
        Ipv4.IsHostAddress(net, Ipv4.ParseAddress("10.1.2.255", "a")).ShouldBeFalse();
        Ipv4.IsHostAddress(net, Ipv4.ParseAddress("10.1.2.7", "a")).ShouldBeTrue();
        Ipv4.IsHostAddress(net, Ipv4.ParseAddress("10.1.3.7", "a")).ShouldBeFalse();
        Ipv4.Overlap(net, Ipv4.ParseSubnet("10.1.0.0/16")).ShouldBeTrue();
        Ipv4.Overlap(net, Ipv4.ParseSubnet("10.1.3.0/24")).ShouldBeFalse();
    }
}
