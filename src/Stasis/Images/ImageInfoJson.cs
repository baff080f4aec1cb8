using System.Text.Json;
using Stasis.Util;

namespace Stasis.Images;

/// <summary>image.json and layer.json, read and written by hand in the form ImageJsonContext defines (camelCase,
/// nulls left out, indented), so that `run` does not pay the serializer's start-up (see JsonCodec). The bytes are
/// the context's exactly, which matters: an imported image's id is the hash of this text. Unknown properties are
/// skipped. Tests hold it to the context.</summary>
internal static class ImageInfoJson
{
    public static byte[] ToUtf8Bytes(ImageInfo image) => JsonCodec.ToUtf8Bytes(image, Write);

    public static byte[] ToUtf8Bytes(LayerInfo layer) => JsonCodec.ToUtf8Bytes(layer, WriteLayer);

    /// <summary>The image, or null for a document that is just null (as the serializer gave).</summary>
    public static ImageInfo? Parse(ReadOnlySpan<byte> json) => JsonCodec.Parse(json, Read);

    public static LayerInfo? ParseLayer(ReadOnlySpan<byte> json) => JsonCodec.Parse(json, ReadLayer);

    public static void Write(Utf8JsonWriter w, ImageInfo i)
    {
        w.WriteStartObject();
        w.WriteString("id", i.Id);
        JsonCodec.WriteStrings(w, "names", i.Names);
        JsonCodec.WriteStrings(w, "layers", i.Layers);
        w.WriteString("created", i.Created);
        w.WriteNumber("size", i.Size);
        w.WritePropertyName("config");
        WriteConfig(w, i.Config);
        JsonCodec.WriteNullable(w, "source", i.Source, writeNull: false);
        w.WriteEndObject();
    }

    private static void WriteConfig(Utf8JsonWriter w, ImageConfig c)
    {
        w.WriteStartObject();
        JsonCodec.WriteStrings(w, "entrypoint", c.Entrypoint);
        JsonCodec.WriteStrings(w, "cmd", c.Cmd);
        JsonCodec.WriteStrings(w, "env", c.Env);
        w.WriteString("workingDir", c.WorkingDir);
        w.WriteString("user", c.User);
        JsonCodec.WriteStrings(w, "exposedPorts", c.ExposedPorts);
        w.WriteEndObject();
    }

    public static ImageInfo Read(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "an image");
        string? id = null, source = null;
        List<string> names = [], layers = [];
        DateTimeOffset created = default;
        long size = 0;
        var config = new ImageConfig();
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "id": id = JsonCodec.String(ref reader, property); break;
                case "names": names = JsonCodec.StringList(ref reader, property); break;
                case "layers": layers = JsonCodec.StringList(ref reader, property); break;
                case "created": created = JsonCodec.DateTimeOffset(ref reader, property); break;
                case "size": size = JsonCodec.Int64(ref reader, property); break;
                case "config": config = reader.TokenType == JsonTokenType.Null ? new ImageConfig() : ReadConfig(ref reader); break;
                case "source": source = JsonCodec.NullableString(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        JsonCodec.Require(id is not null, "the image", "id");
        return new ImageInfo { Id = id!, Names = names, Layers = layers, Created = created, Size = size, Config = config, Source = source };
    }

    private static ImageConfig ReadConfig(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "an image config");
        List<string> entrypoint = [], cmd = [], env = [], exposedPorts = [];
        string workingDir = "", user = "";
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "entrypoint": entrypoint = JsonCodec.StringList(ref reader, property); break;
                case "cmd": cmd = JsonCodec.StringList(ref reader, property); break;
                case "env": env = JsonCodec.StringList(ref reader, property); break;
                case "workingDir": workingDir = JsonCodec.String(ref reader, property); break;
                case "user": user = JsonCodec.String(ref reader, property); break;
                case "exposedPorts": exposedPorts = JsonCodec.StringList(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        return new ImageConfig { Entrypoint = entrypoint, Cmd = cmd, Env = env, WorkingDir = workingDir, User = user, ExposedPorts = exposedPorts };
    }

    public static void WriteLayer(Utf8JsonWriter w, LayerInfo l)
    {
        w.WriteStartObject();
        w.WriteString("digest", l.Digest);
        w.WriteNumber("size", l.Size);
        w.WriteNumber("entries", l.Entries);
        w.WriteString("created", l.Created);
        w.WriteEndObject();
    }

    /// <summary>Missing numbers read as 0, as the serializer gave for the record's constructor; a layer without its
    /// digest is refused.</summary>
    public static LayerInfo ReadLayer(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a layer");
        string? digest = null;
        long size = 0;
        var entries = 0;
        DateTimeOffset created = default;
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "digest": digest = JsonCodec.String(ref reader, property); break;
                case "size": size = JsonCodec.Int64(ref reader, property); break;
                case "entries": entries = JsonCodec.Int32(ref reader, property); break;
                case "created": created = JsonCodec.DateTimeOffset(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        JsonCodec.Require(digest is not null, "the layer", "digest");
        return new LayerInfo(digest!, size, entries, created);
    }
}
