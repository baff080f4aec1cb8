using System.Text.Json;
using System.Text.Json.Nodes;
using Stasis.Archives;

namespace Stasis.Images;

/// <summary>The members of an image archive after one pass over it: metadata in memory, layers unpacked under
/// <see cref="StagingRoot"/>. Disposing removes whatever staged layers were not moved into the store.</summary>
internal sealed class ImageArchive(string stagingRoot) : IDisposable
{
    private const int MaxLinkHops = 16;
    private readonly Dictionary<string, ArchiveMember> _files = new(StringComparer.Ordinal);
    // Symlinks and hard links between members (docker-archive's "<id>/layer.tar -> ../<diff id>.tar").
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public string StagingRoot { get; } = stagingRoot;

    public IEnumerable<ArchiveMember> Members => _files.Values;

    public void Add(ArchiveMember member)
    {
        // A later duplicate replaces the earlier one, as tar extraction would.
        _links.Remove(member.Name);
        _files[member.Name] = member;
    }

    /// <summary>Records a link; <paramref name="target"/> is already normalised relative to the archive root.</summary>
    public void AddLink(string name, string target)
    {
        _files.Remove(name);
        _links[name] = target;
    }

    public ArchiveMember? TryGet(string name)
    {
        if (!TarPaths.TryNormalize(name, out var current, out _)) return null;
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(current, out var member)) return member;
            if (!_links.TryGetValue(current, out var next)) return null;
            current = next;
        }
        return null; // a link loop
    }

    /// <summary>The member, or BadArchive naming what was looked for.</summary>
    public ArchiveMember Get(string name, string what) =>
        TryGet(name) ?? throw StasisException.BadArchive($"The image archive has no {what} '{name}'.");

    public JsonNode ReadJson(string name, string what) => ParseJson(Get(name, what), what);

    public static JsonNode ParseJson(ArchiveMember member, string what)
    {
        if (member.Content is null)
            throw StasisException.BadArchive($"The {what} '{member.Name}' is not a JSON document (or is too large to be one).");
        try
        {
            return JsonNode.Parse(member.Content) ?? throw new JsonException("it is null");
        }
        catch (JsonException e)
        {
            throw StasisException.BadArchive($"The {what} '{member.Name}' is not valid JSON: {e.Message}", e);
        }
    }

    public void Dispose() => TreeDeleter.Delete(StagingRoot);
}
