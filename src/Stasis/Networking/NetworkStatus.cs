using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stasis.Networking;

/// <summary>The checkpoint member network.status, in the format Podman writes with CNI: a JSON list holding the
/// CNI result of each network the container is attached to (interfaces with MACs, IPs with gateways, routes).</summary>
internal static class NetworkStatus
{
    public static void Write(string path, NetworkAttachment attachment)
    {
        var list = new JsonArray(attachment.Result?.DeepClone());
        Util.AtomicFile.WriteAllText(path, list.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), durable: false);
    }

    /// <summary>The address and MAC the container had at the checkpoint, or nulls when the member is absent
    /// (no network, or an older checkpoint).</summary>
    public static (string? Ip, string? Mac) Read(string path)
    {
        if (!File.Exists(path)) return (null, null);
        try
        {
            var first = JsonNode.Parse(File.ReadAllText(path)) switch
            {
                JsonArray a => a.FirstOrDefault() as JsonObject,
                JsonObject o => o,
                _ => null,
            };
            return (ResultFacts.Ip(first), ResultFacts.Mac(first));
        }
        catch (JsonException e)
        {
            throw StasisException.BadArchive($"the checkpoint's {Path.GetFileName(path)} is not valid JSON: {e.Message}", e);
        }
    }
}
