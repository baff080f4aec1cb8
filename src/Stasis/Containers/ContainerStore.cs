using System.Text.Json;
using System.Text.RegularExpressions;
using Stasis.Util;

namespace Stasis.Containers;

/// <summary>The container records under containers/: create, find by name or id (prefix), save, delete.</summary>
internal sealed partial class ContainerStore(StorePaths paths)
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex ValidName();

    /// <summary>The rule for every user-chosen name (containers, checkpoints, volumes).</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    public static void ValidateName(string name, string what = "container name")
    {
        if (!IsValidName(name))
            throw StasisException.Invalid($"invalid {what} '{name}': use letters, digits, '_', '.' or '-' (at most 128), starting with a letter or digit");
    }

    public IEnumerable<ContainerRecord> List()
    {
        if (!Directory.Exists(paths.Containers)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(paths.Containers))
        {
            var rec = TryLoad(Path.GetFileName(dir));
            if (rec is not null) yield return rec;
        }
    }

    public ContainerRecord? TryLoad(string id)
    {
        var file = paths.ContainerRecord(id);
        if (!File.Exists(file)) return null;
        try
        {
            return ContainerRecordJson.Parse(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            throw new StasisException(StasisErrorCode.General, $"container record {file} is damaged: {e.Message}", e);
        }
    }

    public ContainerRecord Load(string id) => TryLoad(id) ?? throw StasisException.NotFound($"no such container: {id}");

    /// <summary>Exact name, exact id, or a unique id prefix of at least 3 characters.</summary>
    public ContainerRecord Resolve(string nameOrId)
    {
        if (string.IsNullOrWhiteSpace(nameOrId)) throw StasisException.Invalid("a container name or id is required");
        var all = List().ToList();
        var match = all.FirstOrDefault(c => c.Name == nameOrId) ?? all.FirstOrDefault(c => c.Id == nameOrId);
        if (match is not null) return match;
        if (nameOrId.Length >= 3)
        {
            var byPrefix = all.Where(c => c.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
            if (byPrefix.Count == 1) return byPrefix[0];
            if (byPrefix.Count > 1) throw StasisException.Invalid($"'{nameOrId}' matches {byPrefix.Count} containers; give more of the id");
        }
        throw StasisException.NotFound($"no such container: {nameOrId}");
    }

    public bool NameTaken(string name) => List().Any(c => c.Name == name);

    public void Save(ContainerRecord record) =>
        AtomicFile.WriteAllBytes(paths.ContainerRecord(record.Id),
            ContainerRecordJson.ToUtf8Bytes(record));

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A free name: the one asked for (refused if taken) or a generated one.</summary>
    public string ChooseName(string? requested)
    {
        if (requested is not null)
        {
            ValidateName(requested);
            if (NameTaken(requested)) throw StasisException.Conflict($"the container name '{requested}' is already in use");
            return requested;
        }
        for (var i = 0; ; i++)
        {
            var name = NameGenerator.Next();
            if (i > 20) name += "_" + Random.Shared.Next(1000, 9999);
            if (!NameTaken(name)) return name;
        }
    }
}
