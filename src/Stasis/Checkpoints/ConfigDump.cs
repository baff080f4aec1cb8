using System.Text.Json;
using System.Text.Json.Nodes;
using Stasis.Containers;

namespace Stasis.Checkpoints;

/// <summary>config.dump, the engine's container configuration inside a checkpoint. Stasis writes the fields Podman's
/// importer needs (libpod's ContainerConfig names) and keeps its own container record whole under "stasis", which
/// Podman ignores. Reading accepts that, an older Stasis config.dump (the bare record), and Podman's own.</summary>
internal static class ConfigDump
{
    private const string StasisKey = "stasis";

    /// <summary>The config.dump of a Stasis container. Podman resolves rootfsImageID as an image reference when it is
    /// not an ID of its own (which Stasis cannot know), so both fields carry the image's name as Podman names an
    /// imported image (localhost/NAME:TAG).</summary>
    public static byte[] Create(ContainerRecord rec)
    {
        var image = PodmanImageName(rec.Image);
        // Written directly: a JsonObject serialized with ad-hoc options costs the reflection-based serializer's start-up.
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Util.JsonCodec.Indented))
        {
            w.WriteStartObject();
            w.WriteString("id", rec.Id);
            w.WriteString("name", rec.Name);
            w.WriteString("rootfsImageID", image);
            w.WriteString("rootfsImageName", image);
            Util.JsonCodec.WriteStrings(w, "command", rec.Command);
            // RFC 3339 in UTC: Go parses no other form, and a "+" would come out JSON-escaped.
            w.WriteString("createdTime", rec.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            // Podman refuses an archive made "with runtime ''" unless it names the runtime it restores with.
            w.WriteString("runtime", "runc");
            // Stasis gives each container a network namespace of its own that CRIU treats as external; Podman then
            // has to make one at restore as well.
            w.WriteBoolean("createNetNS", true);
            w.WritePropertyName(StasisKey);
            ContainerRecordJson.Write(w, rec);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>A Stasis image name the way `podman import` names the same image: short names live under localhost/.</summary>
    public static string PodmanImageName(string image)
    {
        var normalized = Images.ImageStore.Normalize(image);
        var slash = normalized.IndexOf('/');
        var first = slash < 0 ? "" : normalized[..slash];
        var hasDomain = first.Contains('.') || first.Contains(':') || first == "localhost";
        return hasDomain ? normalized : "localhost/" + normalized;
    }

    /// <summary>Reads config.dump and spec.dump of an unpacked checkpoint; anything unreadable is a damaged archive.</summary>
    public static ArchivedContainer Read(string folder)
    {
        var config = ReadJson(folder, CheckpointLayout.ConfigDump);
        if (config[StasisKey] is JsonObject own) return FromRecord(own);
        if (config["imageId"] is not null && config["image"] is not null) return FromRecord(config);
        return FromPodman(config, ReadJson(folder, CheckpointLayout.SpecDump));
    }

    private static JsonObject ReadJson(string folder, string member)
    {
        var path = Path.Combine(folder, member);
        if (!File.Exists(path)) throw StasisException.BadArchive($"the archive has no {member}, so it does not say which container it holds");
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                   ?? throw StasisException.BadArchive($"{member} in the archive is not a JSON object");
        }
        catch (JsonException e)
        {
            throw StasisException.BadArchive($"{member} in the archive is not valid JSON: {e.Message}", e);
        }
    }

    private static ArchivedContainer FromRecord(JsonObject node)
    {
        ContainerRecord rec;
        try
        {
            rec = ContainerRecordJson.Parse(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()))
                  ?? throw StasisException.BadArchive($"{CheckpointLayout.ConfigDump} in the archive is empty");
        }
        catch (JsonException e)
        {
            throw StasisException.BadArchive($"{CheckpointLayout.ConfigDump} in the archive does not describe a container: {e.Message}", e);
        }
        return new ArchivedContainer
        {
            Engine = "stasis",
            Name = rec.Name,
            Image = rec.Image,
            Command = rec.Command,
            Env = rec.Env,
            WorkingDir = rec.WorkingDir,
            User = rec.User,
            Network = rec.Network,
            Ports = rec.Ports,
            Interactive = rec.Interactive,
            Mounts = rec.Mounts,
        };
    }

    // Podman bind-mounts files it generates into every container; at import each becomes a file of the new container.
    private static readonly Dictionary<string, string> PodmanFiles = new(StringComparer.Ordinal)
    {
        ["/etc/hosts"] = "127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n",
        ["/etc/hostname"] = "",
        ["/etc/resolv.conf"] = "",
        ["/run/.containerenv"] = "engine=\"stasis\"\n",
    };

    private static ArchivedContainer FromPodman(JsonObject config, JsonObject spec)
    {
        var image = (string?)config["rootfsImageName"] ?? (string?)config["RawImageName"]
            ?? throw StasisException.BadArchive($"{CheckpointLayout.ConfigDump} in the archive names no image (rootfsImageName)");
        var name = (string?)config["name"] ?? throw StasisException.BadArchive($"{CheckpointLayout.ConfigDump} in the archive names no container");
        var process = spec["process"] as JsonObject ?? throw StasisException.BadArchive($"{CheckpointLayout.SpecDump} in the archive has no process");
        var mounts = new List<VolumeMount>();
        var generated = new List<(string, string)>();
        foreach (var m in (spec["mounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)m["type"] != "bind" && !((m["options"] as JsonArray)?.Any(o => (string?)o is "bind" or "rbind") ?? false)) continue;
            var destination = (string?)m["destination"] ?? "";
            if (destination == "/dev/shm") continue; // every Stasis container has its own
            if (PodmanFiles.TryGetValue(destination, out var content))
            {
                if (destination == "/etc/hostname") content = ((string?)spec["hostname"] ?? "") + "\n";
                generated.Add((destination, content));
                continue;
            }
            var readOnly = (m["options"] as JsonArray)?.Any(o => (string?)o == "ro") ?? false;
            mounts.Add(new VolumeMount { Type = VolumeMount.Bind, Source = (string?)m["source"] ?? "", Destination = destination, ReadOnly = readOnly });
        }
        return new ArchivedContainer
        {
            Engine = "podman",
            Name = name,
            Image = image,
            Command = Strings(process["args"]),
            Env = Strings(process["env"]),
            WorkingDir = (string?)process["cwd"] ?? "/",
            User = process["user"] is JsonObject u ? $"{(uint?)u["uid"] ?? 0}:{(uint?)u["gid"] ?? 0}" : "",
            Interactive = (bool?)config["stdin"] ?? false,
            Mounts = mounts,
            GeneratedFiles = generated,
        };
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => (string?)n).OfType<string>().ToList();
}
