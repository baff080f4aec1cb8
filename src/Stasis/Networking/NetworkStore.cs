using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stasis.Util;

namespace Stasis.Networking;

/// <summary>Bridge networks stored as CNI configuration lists (bridge + host-local IPAM, then portmap). The
/// default network is written on first use.</summary>
internal sealed class NetworkStore(NetworkPaths paths)
{
    /// <summary>The default network's subnet: not Podman's 10.88.0.0/16 nor Docker's 172.17.0.0/16.</summary>
    public const string DefaultSubnet = "10.77.0.0/24";
    public const string DefaultBridge = "stasis0";

    public NetworkPaths Paths => paths;

    public IReadOnlyList<NetworkDefinition> List()
    {
        EnsureDefault();
        return Directory.EnumerateFiles(paths.Configs, "*.conflist")
            .Select(f => Load(Path.GetFileNameWithoutExtension(f)))
            .OrderBy(n => n.IsDefault ? 0 : 1).ThenBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
    }

    public NetworkDefinition Get(string name)
    {
        if (name == NetworkModes.DefaultNetwork) EnsureDefault();
        if (!IsValidName(name) || !File.Exists(paths.Config(name)))
            throw StasisException.NotFound($"no such network: {name} (see `stasis network ls`)");
        return Load(name);
    }

    /// <summary>Creates a network; without a subnet the first free 10.77.N.0/24 is taken. A subnet that overlaps
    /// another network or a route the host already has is refused, so containers never shadow real addresses.</summary>
    public async Task<NetworkDefinition> CreateAsync(string name, string? subnet, string? gateway, CancellationToken ct)
    {
        ValidateName(name);
        EnsureDefault();
        if (File.Exists(paths.Config(name))) throw StasisException.Conflict($"network {name} already exists");
        var taken = List().Select(n => (n.Subnet, What: $"network {n.Name}")).ToList();
        taken.AddRange((await HostRoutesAsync(ct).ConfigureAwait(false)).Select(r => (r, What: $"a route of this host ({r})")));
        IPNetwork net;
        if (subnet is null)
        {
            net = Enumerable.Range(1, 254).Select(i => IPNetwork.Parse($"10.77.{i}.0/24"))
                .FirstOrDefault(c => !taken.Any(t => Ipv4.Overlap(c, t.Subnet)));
            if (net.PrefixLength == 0) throw StasisException.Conflict("no free 10.77.N.0/24 subnet is left; give one with --subnet");
        }
        else
        {
            net = Ipv4.ParseSubnet(subnet);
            var clash = taken.FirstOrDefault(t => Ipv4.Overlap(net, t.Subnet));
            if (clash.What is not null) throw StasisException.Conflict($"subnet {net} overlaps {clash.What}");
        }
        var gw = gateway is null ? Ipv4.Nth(net, 1) : Ipv4.ParseAddress(gateway, "gateway");
        if (!Ipv4.IsHostAddress(net, gw)) throw StasisException.Invalid($"gateway {gw} is not a host address of subnet {net}");
        Save(name, BridgeName(name), net, gw);
        return Load(name);
    }

    public void Remove(string name)
    {
        if (name == NetworkModes.DefaultNetwork) throw StasisException.Conflict($"the default network {name} cannot be removed");
        _ = Get(name);
        File.Delete(paths.Config(name));
        var ipam = paths.IpamNetwork(name);
        if (Directory.Exists(ipam)) Directory.Delete(ipam, recursive: true);
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static void ValidateName(string name)
    {
        if (name is NetworkModes.None or NetworkModes.Host)
            throw StasisException.Invalid($"'{name}' is a network mode, not a name a network can have");
        if (!IsValidName(name))
            throw StasisException.Invalid($"invalid network name '{name}': use letters, digits, '_', '.' or '-' (at most 64), starting with a letter or digit");
    }

    /// <summary>A bridge name unique to this state root and network, within the kernel's 15 characters.</summary>
    public string BridgeName(string name)
    {
        if (name == NetworkModes.DefaultNetwork) return DefaultBridge;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(paths.Configs + "\0" + name));
        return "stbr-" + Convert.ToHexStringLower(hash)[..8];
    }

    private void EnsureDefault()
    {
        if (File.Exists(paths.Config(NetworkModes.DefaultNetwork))) return;
        var net = IPNetwork.Parse(DefaultSubnet);
        Save(NetworkModes.DefaultNetwork, DefaultBridge, net, Ipv4.Nth(net, 1));
    }

    private void Save(string name, string bridge, IPNetwork subnet, IPAddress gateway)
    {
        // host-local's dataDir is not stored here: it is set on every call to this root's run root.
        var conf = new JsonObject
        {
            ["cniVersion"] = CniPluginRunner.CniVersion,
            ["name"] = name,
            ["plugins"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "bridge",
                    ["bridge"] = bridge,
                    ["isGateway"] = true,
                    ["ipMasq"] = true,
                    ["hairpinMode"] = true,
                    ["capabilities"] = new JsonObject { ["ips"] = true, ["mac"] = true },
                    ["ipam"] = new JsonObject
                    {
                        ["type"] = "host-local",
                        ["ranges"] = new JsonArray(new JsonArray(new JsonObject
                        {
                            ["subnet"] = subnet.ToString(),
                            ["gateway"] = gateway.ToString(),
                        })),
                        ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
                    },
                },
                new JsonObject
                {
                    ["type"] = "portmap",
                    ["capabilities"] = new JsonObject { ["portMappings"] = true },
                }),
        };
        AtomicFile.WriteAllText(paths.Config(name), conf.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private NetworkDefinition Load(string name)
    {
        var path = paths.Config(name);
        try
        {
            var conf = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var bridge = conf["plugins"]!.AsArray().First(p => (string?)p!["type"] == "bridge")!;
            var range = bridge["ipam"]!["ranges"]![0]![0]!;
            return new NetworkDefinition(name, (string)bridge["bridge"]!, IPNetwork.Parse((string)range["subnet"]!),
                IPAddress.Parse((string)range["gateway"]!), path, conf);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new StasisException(StasisErrorCode.General, $"the definition of network {name} ({path}) is damaged: {e.Message}", e);
        }
    }

    /// <summary>IPv4 destinations the host already routes (the default route aside).</summary>
    private static async Task<List<IPNetwork>> HostRoutesAsync(CancellationToken ct)
    {
        var r = await ProcessRunner.RunAsync("ip", ["-4", "-j", "route", "show", "table", "all"], ct).ConfigureAwait(false);
        var list = new List<IPNetwork>();
        if (!r.Succeeded) return list;
        foreach (var route in JsonNode.Parse(r.StandardOutput)?.AsArray() ?? [])
        {
            var dst = (string?)route?["dst"];
            if (dst is null or "default" || (string?)route?["type"] is "local" or "broadcast") continue;
            if (!dst.Contains('/')) dst += "/32";
            if (IPNetwork.TryParse(dst, out var n)) list.Add(n);
        }
        return list;
    }
}
