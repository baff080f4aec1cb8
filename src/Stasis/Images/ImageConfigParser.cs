using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stasis.Images;

/// <summary>Reads the parts of an OCI (or Docker, which has the same shape) image config that Stasis uses.</summary>
internal static class ImageConfigParser
{
    public static ParsedImageConfig Parse(JsonNode root, string what)
    {
        try
        {
            var c = root["config"] as JsonObject;
            var config = new ImageConfig
            {
                Entrypoint = Strings(c?["Entrypoint"]),
                Cmd = Strings(c?["Cmd"]),
                Env = Strings(c?["Env"]),
                WorkingDir = c?["WorkingDir"]?.GetValue<string>() ?? "",
                User = c?["User"]?.GetValue<string>() ?? "",
                ExposedPorts = (c?["ExposedPorts"] as JsonObject)?.Select(p => p.Key).ToList() ?? [],
            };
            DateTimeOffset? created = root["created"]?.GetValue<string>() is { Length: > 0 } text &&
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            var diffIds = Strings(root["rootfs"]?["diff_ids"]);
            return new ParsedImageConfig(config, created, diffIds);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw StasisException.BadArchive($"The {what} is not a valid image config: {e.Message}", e);
        }
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : [];
}
