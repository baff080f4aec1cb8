using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stasis.Networking;

/// <summary>A container's attachment to a CNI network: what was asked (address, MAC, ports) and the CNI result.
/// Written before ADD (so a crash half-way can still be undone with DEL) and again with the result.</summary>
internal sealed record NetworkAttachment
{
    public required string ContainerId { get; init; }
    public required string Network { get; init; }
    public required string Netns { get; init; }
    public string IfName { get; init; } = "eth0";
    public string? RequestedIp { get; init; }
    public string? RequestedMac { get; init; }
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
    /// <summary>The final CNI result of ADD (null while ADD has not completed).</summary>
    public JsonObject? Result { get; init; }

    public CniInvocation Invocation => new(ContainerId, Netns, IfName);

    /// <summary>The container's address (without prefix), from the result.</summary>
    public string? Ip => ResultFacts.Ip(Result);
    public string? Mac => ResultFacts.Mac(Result, IfName);
    public string? Gateway => ResultFacts.Gateway(Result);
    /// <summary>The host end of the container's veth pair.</summary>
    public string? HostVeth => ResultFacts.HostVeth(Result);

    public string ToJson() => new JsonObject
    {
        ["containerId"] = ContainerId,
        ["network"] = Network,
        ["netns"] = Netns,
        ["ifName"] = IfName,
        ["requestedIp"] = RequestedIp,
        ["requestedMac"] = RequestedMac,
        ["ports"] = new JsonArray(Ports.Select(p => (JsonNode)p.ToString()!).ToArray()),
        ["result"] = Result?.DeepClone(),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    public static NetworkAttachment FromJson(string json)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        return new NetworkAttachment
        {
            ContainerId = (string)o["containerId"]!,
            Network = (string)o["network"]!,
            Netns = (string)o["netns"]!,
            IfName = (string?)o["ifName"] ?? "eth0",
            RequestedIp = (string?)o["requestedIp"],
            RequestedMac = (string?)o["requestedMac"],
            Ports = o["ports"]?.AsArray().Select(p => PortMapping.Parse((string)p!)).ToList() ?? [],
            Result = o["result"]?.DeepClone().AsObject(),
        };
    }
}
