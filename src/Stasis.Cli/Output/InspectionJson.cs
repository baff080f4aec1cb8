using System.Text.Encodings.Web;
using System.Text.Json;
using Stasis.Criu.Images;

namespace Stasis.Cli.Output;

/// <summary>--format json for the checkpoint inspection verbs: the library's source-generated contract, written
/// without HTML escaping so "->" and "'" stay readable.</summary>
internal static class InspectionJson
{
    private static readonly InspectionJsonContext Context = new(new JsonSerializerOptions(InspectionJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(CheckpointInspection value) => JsonSerializer.Serialize(value, Context.CheckpointInspection);
    public static string Serialize(MemorySearchResult value) => JsonSerializer.Serialize(value, Context.MemorySearchResult);
    public static string Serialize(CheckpointDiff value) => JsonSerializer.Serialize(value, Context.CheckpointDiff);
}
