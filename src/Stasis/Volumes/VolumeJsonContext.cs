using System.Text.Json.Serialization;

namespace Stasis.Volumes;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(VolumeInfo))]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;
