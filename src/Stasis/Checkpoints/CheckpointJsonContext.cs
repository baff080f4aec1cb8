using System.Text.Json.Serialization;

namespace Stasis.Checkpoints;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckpointInfo))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
