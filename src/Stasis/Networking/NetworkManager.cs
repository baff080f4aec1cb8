using System.Text.Json.Nodes;
using Stasis.Containers;
using Stasis.Util;

namespace Stasis.Networking;

/// <summary>Attaches containers to CNI networks and detaches them: runs the network's plugin chain (ADD in order
/// with each plugin's result as the next one's prevResult, DEL in reverse), passes the address, MAC and ports
/// through the capabilities the plugins declare, and keeps the attachment so it can be undone.</summary>
internal sealed class NetworkManager(StorePaths storePaths, CniPluginRunner cni)
{
    private readonly NetworkPaths _paths = new(storePaths);

    public NetworkStore Store => new(_paths);

    /// <summary>Checks a container's network settings before anything is made: the network exists, an address
    /// asked for lies in its subnet, ports are published only where there is a bridge.</summary>
    public (string Mode, string? Ip, List<PortMapping> Ports) Validate(string? network, string? ip, IEnumerable<string> ports)
    {
        var mode = network ?? NetworkModes.None;
        var mappings = ports.Select(PortMapping.Parse).ToList();
        // Pairwise, not GroupBy over a (port, protocol) tuple: that generic is JIT-compiled at every run, ~3 ms.
        for (var i = 0; i < mappings.Count; i++)
            for (var j = i + 1; j < mappings.Count; j++)
                if (mappings[i].HostPort == mappings[j].HostPort && mappings[i].Protocol == mappings[j].Protocol)
                    throw StasisException.Invalid($"host port {mappings[i].HostPort}/{mappings[i].Protocol} is published twice");
        if (!NetworkModes.IsCni(mode))
        {
            if (ip is not null) throw StasisException.Invalid($"--ip needs a bridge network; network mode '{mode}' has no address of its own");
            if (mappings.Count > 0) throw StasisException.Invalid($"publishing ports needs a bridge network, not network mode '{mode}'");
            return (mode, null, mappings);
        }
        var def = Store.Get(mode);
        if (ip is not null)
        {
            var address = Ipv4.ParseAddress(ip, "address");
            if (!Ipv4.IsHostAddress(def.Subnet, address) || address.Equals(def.Gateway))
                throw StasisException.Invalid($"address {ip} is not free for containers in network {def.Name} (subnet {def.Subnet}, gateway {def.Gateway})");
            ip = address.ToString();
        }
        return (def.Name, ip, mappings);
    }

    public NetworkAttachment? TryGetAttachment(string containerId)
    {
        var file = _paths.Attachment(containerId);
        return File.Exists(file) ? NetworkAttachment.FromJson(File.ReadAllText(file)) : null;
    }

    public IEnumerable<NetworkAttachment> Attachments() =>
        Directory.Exists(_paths.Attachments)
            ? Directory.EnumerateFiles(_paths.Attachments, "*.json").Select(f => NetworkAttachment.FromJson(File.ReadAllText(f)))
            : [];

    /// <summary>Attaches the container's namespace to its network. A namespace still attached (kept while the
    /// container was checkpointed) is used as it is, with its address, MAC, veth and rules.</summary>
    public async Task<NetworkAttachment> AttachAsync(ContainerRecord rec, string netns, NetworkRequest? request, CancellationToken ct)
    {
        request ??= new NetworkRequest();
        if (TryGetAttachment(rec.Id) is { } existing)
        {
            if (existing.Result is not null && existing.Netns == netns && existing.Network == rec.Network && Runtime.MountTable.IsMounted(netns))
            {
                // A namespace that is still attached is only kept by a checkpoint that stopped the container, and
                // that checkpoint left its hold (rule and queue) in place until this restore releases it.
                return existing;
            }
            await DetachAsync(rec.Id, ct).ConfigureAwait(false);
        }

        var network = Store.Get(rec.Network);
        var ip = request.Ip ?? rec.Ip;
        if (ip is not null && !Ipv4.IsHostAddress(network.Subnet, Ipv4.ParseAddress(ip, "address")))
            throw StasisException.Invalid($"address {ip} is not in network {network.Name}'s subnet {network.Subnet}");
        if (ip is not null && ip == network.Gateway.ToString())
            throw StasisException.Invalid($"address {ip} is network {network.Name}'s gateway");

        using var _ = await FileLock.AcquireAsync(_paths.Lock, ct).ConfigureAwait(false);
        foreach (var other in Attachments().Where(a => a.ContainerId != rec.Id))
            foreach (var p in rec.Ports.Where(p => other.Ports.Any(o => o.HostPort == p.HostPort && o.Protocol == p.Protocol)))
                throw StasisException.Conflict($"host port {p.HostPort}/{p.Protocol} is already published by container {other.ContainerId[..12]}");

        var attachment = new NetworkAttachment
        {
            ContainerId = rec.Id,
            Network = network.Name,
            Netns = netns,
            RequestedIp = ip,
            RequestedMac = request.Mac,
            Ports = rec.Ports,
        };
        // Recorded before ADD: whatever ADD gets done before a failure or a crash can be undone with DEL.
        AtomicFile.WriteAllText(_paths.Attachment(rec.Id), attachment.ToJson());
        try
        {
            if (request.Hold) await TrafficHold.InsertAsync(netns, ct).ConfigureAwait(false);
            JsonObject? result = null;
            foreach (var plugin in Plugins(network))
                result = await cni.InvokeAsync("ADD", Config(network, plugin, attachment, result), attachment.Invocation, ct).ConfigureAwait(false);
            attachment = attachment with { Result = result };
            AtomicFile.WriteAllText(_paths.Attachment(rec.Id), attachment.ToJson());
            if (request.Hold && attachment.HostVeth is { } veth) await VethQueue.HoldAsync(veth, attachment.Ip, ct).ConfigureAwait(false);
            return attachment;
        }
        catch (Exception e) when (e is StasisException or OperationCanceledException)
        {
            await DetachAsync(rec.Id, CancellationToken.None).ConfigureAwait(false);
            if (ip is not null && e is StasisException { Message: var m } && m.Contains("requested IP address", StringComparison.Ordinal))
                throw StasisException.Conflict($"address {ip} is already in use on network {network.Name}");
            throw;
        }
    }

    /// <summary>DEL through the whole chain in reverse, releasing the address, veth and port rules; every plugin
    /// is called even when one fails, and the attachment is forgotten only when all succeeded.</summary>
    public async Task DetachAsync(string containerId, CancellationToken ct)
    {
        if (TryGetAttachment(containerId) is not { } attachment) return;
        NetworkDefinition network;
        try
        {
            network = Store.Get(attachment.Network);
        }
        catch (StasisException)
        {
            // The definition is gone; nothing can be asked of its plugins any more.
            File.Delete(_paths.Attachment(containerId));
            return;
        }
        var failures = new List<string>();
        foreach (var plugin in Plugins(network).Reverse())
        {
            try
            {
                await cni.InvokeAsync("DEL", Config(network, plugin, attachment, attachment.Result), attachment.Invocation, ct).ConfigureAwait(false);
            }
            catch (StasisException e)
            {
                failures.Add(e.Message);
            }
        }
        if (failures.Count > 0)
            throw new StasisException(StasisErrorCode.Runtime, $"detaching container {containerId[..12]} from network {network.Name} failed: {string.Join("; ", failures)}");
        File.Delete(_paths.Attachment(containerId));
    }

    /// <summary>CHECK through the chain: the plugins confirm the interface, address and rules are as ADD left them.</summary>
    public async Task CheckAsync(string containerId, CancellationToken ct)
    {
        var attachment = TryGetAttachment(containerId) ?? throw StasisException.NotFound($"container {containerId[..12]} is not attached to a network");
        var network = Store.Get(attachment.Network);
        foreach (var plugin in Plugins(network))
            await cni.InvokeAsync("CHECK", Config(network, plugin, attachment, attachment.Result), attachment.Invocation, ct).ConfigureAwait(false);
    }

    private static IEnumerable<JsonObject> Plugins(NetworkDefinition network) =>
        network.ConfList["plugins"]!.AsArray().OfType<JsonObject>();

    /// <summary>One plugin's stdin: its own configuration plus the list's name and version, the previous result,
    /// and runtimeConfig for each capability it declares (ips and mac for bridge/host-local, portMappings for portmap).</summary>
    private JsonObject Config(NetworkDefinition network, JsonObject plugin, NetworkAttachment attachment, JsonObject? prevResult)
    {
        var conf = plugin.DeepClone().AsObject();
        conf["cniVersion"] = (string?)network.ConfList["cniVersion"] ?? CniPluginRunner.CniVersion;
        conf["name"] = network.Name;
        if (conf["ipam"] is JsonObject ipam && (string?)ipam["type"] == "host-local") ipam["dataDir"] = _paths.Ipam;
        var caps = plugin["capabilities"] as JsonObject;
        bool Has(string cap) => caps?[cap] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var runtime = new JsonObject();
        if (Has("ips") && attachment.RequestedIp is { } ip) runtime["ips"] = new JsonArray((JsonNode)ip);
        if (Has("mac") && attachment.RequestedMac is { } mac) runtime["mac"] = mac;
        if (Has("portMappings") && attachment.Ports.Count > 0)
            runtime["portMappings"] = new JsonArray(attachment.Ports.Select(p => (JsonNode)new JsonObject
            {
                ["hostPort"] = p.HostPort,
                ["containerPort"] = p.ContainerPort,
                ["protocol"] = p.Protocol,
            }).ToArray());
        if (runtime.Count > 0) conf["runtimeConfig"] = runtime;
        if (prevResult is not null) conf["prevResult"] = prevResult.DeepClone();
        return conf;
    }
}
