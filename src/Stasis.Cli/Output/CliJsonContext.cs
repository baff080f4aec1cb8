using System.Text.Json.Serialization;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Criu;
using Stasis.Images;

namespace Stasis.Cli.Output;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ContainerInfo))]
[JsonSerializable(typeof(IReadOnlyList<ContainerInfo>))]
[JsonSerializable(typeof(ImageInfo))]
[JsonSerializable(typeof(IReadOnlyList<ImageInfo>))]
[JsonSerializable(typeof(CheckpointInfo))]
[JsonSerializable(typeof(IReadOnlyList<CheckpointInfo>))]
[JsonSerializable(typeof(CheckReport))]
[JsonSerializable(typeof(Stasis.Volumes.VolumeInfo))]
[JsonSerializable(typeof(Stasis.Networking.NetworkInfo))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
