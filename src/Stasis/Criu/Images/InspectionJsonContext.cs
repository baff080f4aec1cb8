using System.Text.Json.Serialization;

namespace Stasis.Criu.Images;

/// <summary>Source-generated JSON for the inspection results (<c>--format json</c>). Addresses are plain numbers.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CheckpointInspection))]
[JsonSerializable(typeof(CheckpointSummary))]
[JsonSerializable(typeof(MemorySearchResult))]
[JsonSerializable(typeof(CheckpointDiff))]
[JsonSerializable(typeof(ValueList<CheckpointProcess>))]
[JsonSerializable(typeof(ValueList<CheckpointSocket>))]
[JsonSerializable(typeof(ValueList<CheckpointMount>))]
[JsonSerializable(typeof(ValueList<OpenFile>))]
[JsonSerializable(typeof(ValueList<MemoryArea>))]
[JsonSerializable(typeof(ValueList<MemoryMatch>))]
[JsonSerializable(typeof(ValueList<ProcessRef>))]
[JsonSerializable(typeof(ValueList<MemoryChange>))]
[JsonSerializable(typeof(ValueList<FileChange>))]
[JsonSerializable(typeof(CheckpointProcess))]
[JsonSerializable(typeof(CheckpointSocket))]
[JsonSerializable(typeof(CheckpointMount))]
[JsonSerializable(typeof(OpenFile))]
[JsonSerializable(typeof(MemoryArea))]
[JsonSerializable(typeof(MemoryMatch))]
[JsonSerializable(typeof(ProcessRef))]
[JsonSerializable(typeof(MemoryChange))]
[JsonSerializable(typeof(FileChange))]
[JsonSerializable(typeof(ValueList<string>))]
[JsonSerializable(typeof(ValueList<int>))]
public sealed partial class InspectionJsonContext : JsonSerializerContext;
