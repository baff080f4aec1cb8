using System.Text.Json.Serialization;

namespace Stasis.Images;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageInfo))]
[JsonSerializable(typeof(LayerInfo))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
