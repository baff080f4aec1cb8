using System.Text.Json;
using Stasis.Util;

namespace Stasis.Volumes;

/// <summary>volume.json, read and written by hand in the form VolumeJsonContext defines (camelCase, indented), so
/// that `run -v NAME:…` and `restore` do not pay the serializer's start-up (see JsonCodec). Unknown properties are
/// skipped. Tests hold it to the context.</summary>
internal static class VolumeInfoJson
{
    public static byte[] ToUtf8Bytes(VolumeInfo volume) => JsonCodec.ToUtf8Bytes(volume, Write);

    /// <summary>The volume, or null for a document that is just null (as the serializer gave).</summary>
    public static VolumeInfo? Parse(ReadOnlySpan<byte> json) => JsonCodec.Parse(json, Read);

    public static void Write(Utf8JsonWriter w, VolumeInfo v)
    {
        w.WriteStartObject();
        w.WriteString("name", v.Name);
        w.WriteString("created", v.Created);
        w.WriteString("mountpoint", v.Mountpoint);
        JsonCodec.WriteStrings(w, "usedBy", v.UsedBy);
        w.WriteEndObject();
    }

    public static VolumeInfo Read(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a volume");
        string? name = null, mountpoint = null;
        DateTimeOffset created = default;
        List<string> usedBy = [];
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "name": name = JsonCodec.String(ref reader, property); break;
                case "created": created = JsonCodec.DateTimeOffset(ref reader, property); break;
                case "mountpoint": mountpoint = JsonCodec.String(ref reader, property); break;
                case "usedBy": usedBy = JsonCodec.StringList(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        JsonCodec.Require(name is not null, "the volume", "name");
        JsonCodec.Require(mountpoint is not null, "the volume", "mountpoint");
        return new VolumeInfo { Name = name!, Created = created, Mountpoint = mountpoint!, UsedBy = usedBy };
    }
}
