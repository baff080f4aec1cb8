using System.Text.Json.Nodes;

namespace Stasis.Networking;

/// <summary>Reads the facts Stasis needs out of a CNI result (spec 1.0: interfaces, ips with an interface index).</summary>
internal static class ResultFacts
{
    public static string? Ip(JsonObject? result) =>
        FirstIp(result) is { } ip && (string?)ip["address"] is { } cidr ? cidr.Split('/')[0] : null;

    public static string? Gateway(JsonObject? result) => (string?)FirstIp(result)?["gateway"];

    /// <summary>The MAC of the container's interface: the one inside the sandbox named <paramref name="ifName"/>.</summary>
    public static string? Mac(JsonObject? result, string ifName = "eth0") =>
        (string?)Interfaces(result).FirstOrDefault(i => (string?)i["name"] == ifName && i["sandbox"] is not null)?["mac"];

    /// <summary>The host end of the veth: an interface outside the sandbox that is not the bridge (the first one).</summary>
    public static string? HostVeth(JsonObject? result) =>
        (string?)Interfaces(result).Skip(1).FirstOrDefault(i => i["sandbox"] is null)?["name"];

    private static JsonNode? FirstIp(JsonObject? result) => result?["ips"]?.AsArray().FirstOrDefault();

    private static IEnumerable<JsonNode> Interfaces(JsonObject? result) =>
        result?["interfaces"]?.AsArray().OfType<JsonNode>() ?? [];
}
