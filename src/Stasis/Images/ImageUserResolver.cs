using System.Globalization;

namespace Stasis.Images;

/// <summary>Turns a User spec ("", "uid", "name", "uid:gid", "name:group", …) into numbers the way Docker and
/// Podman do: names come from the image's /etc/passwd and /etc/group; a user given without a group gets its
/// passwd group and the supplementary groups /etc/group lists it in.</summary>
internal static class ImageUserResolver
{
    private const long MaxFileSize = 4 << 20;

    public static ResolvedUser Resolve(string spec, IReadOnlyList<string> layersTopFirst)
    {
        if (spec.Length == 0) return ResolvedUser.Root;
        var colon = spec.IndexOf(':');
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? null : spec[(colon + 1)..];
        if (userPart.Length == 0 || groupPart is "") throw StasisException.Invalid($"invalid user '{spec}': use USER, UID, USER:GROUP or UID:GID");

        var passwd = new Lazy<List<string[]>>(() => ReadTable(layersTopFirst, "etc/passwd", 7));
        var groups = new Lazy<List<string[]>>(() => ReadTable(layersTopFirst, "etc/group", 4));

        uint uid, gid = 0;
        string? name = null, home = null;
        if (TryParseId(userPart, out uid))
        {
            if (passwd.Value.FirstOrDefault(e => e[2] == userPart) is { } entry)
                (name, gid, home) = (entry[0], ParseId(entry[3], "passwd"), entry[5]);
        }
        else
        {
            var entry = passwd.Value.FirstOrDefault(e => e[0] == userPart) ??
                throw StasisException.NotFound($"user '{userPart}' is not in the image's /etc/passwd");
            (name, uid, gid, home) = (entry[0], ParseId(entry[2], "passwd"), ParseId(entry[3], "passwd"), entry[5]);
        }

        var additional = new List<uint>();
        if (groupPart is not null)
        {
            if (!TryParseId(groupPart, out gid))
            {
                var entry = groups.Value.FirstOrDefault(e => e[0] == groupPart) ??
                    throw StasisException.NotFound($"group '{groupPart}' is not in the image's /etc/group");
                gid = ParseId(entry[2], "group");
            }
        }
        else if (name is not null)
        {
            foreach (var g in groups.Value.Where(g => g[3].Split(',').Contains(name)))
            {
                var id = ParseId(g[2], "group");
                if (id != gid && !additional.Contains(id)) additional.Add(id);
            }
        }
        return new ResolvedUser(uid, gid, additional, home is { Length: > 0 } ? home : null);
    }

    private static bool TryParseId(string s, out uint id) =>
        uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static uint ParseId(string s, string file) =>
        TryParseId(s, out var id) ? id : throw StasisException.Invalid($"the image's /etc/{file} has an invalid id '{s}'");

    /// <summary>The colon-separated lines of an image file, each padded to <paramref name="fields"/> fields; empty when the image has no such file.</summary>
    private static List<string[]> ReadTable(IReadOnlyList<string> layersTopFirst, string relativePath, int fields)
    {
        var path = LayerFiles.Find(layersTopFirst, relativePath);
        if (path is null) return [];
        if (new FileInfo(path).Length > MaxFileSize) throw StasisException.Invalid($"the image's /{relativePath} is too large to be read");
        var rows = new List<string[]>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cols = line.Split(':');
            if (cols.Length < fields) cols = [.. cols, .. Enumerable.Repeat("", fields - cols.Length)];
            rows.Add(cols);
        }
        return rows;
    }
}
