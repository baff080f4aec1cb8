using System.Text.Json;
using Stasis.Util;

namespace Stasis.Containers;

/// <summary>The container records under containers/: create, find by name or id (prefix), save, delete.</summary>
internal sealed class ContainerStore(StorePaths paths)
{
    /// <summary>The rule for every user-chosen name (containers, checkpoints, volumes): a letter or digit, then
    /// letters, digits, '_', '.' or '-', at most 128 in all. Checked by hand: a regex would load the regex engine
    /// into every create, run and checkpoint (~2 ms).</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 128 || !char.IsAsciiLetterOrDigit(name[0])) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-')) return false;
        return true;
    }

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
            ContainerRecordJson.ToUtf8Bytes(record), durable: false);

    /// <summary>64 hex digits from getrandom(2) (the cryptography assembly is not loaded for it).</summary>
    public static unsafe string NewId()
    {
        var bytes = stackalloc byte[32];
        var got = 0;
        while (got < 32)
        {
            var n = Interop.LibcProc.GetRandom(bytes + got, (nuint)(32 - got), 0);
            if (n <= 0) return Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            got += (int)n;
        }
        return Convert.ToHexStringLower(new ReadOnlySpan<byte>(bytes, 32));
    }

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
