using System.Text.RegularExpressions;
using Stasis.Interop;

namespace Stasis.Runtime;

/// <summary>This process's view of the mount table (/proc/self/mountinfo): the one place that reads it, for the
/// engine (is a rootfs, tmpfs or nsfs file mounted?) and for tests (is anything left below a folder?).</summary>
internal static partial class MountTable
{
    /// <summary>Every mount point, with mountinfo's octal escapes (spaces, tabs …) undone.</summary>
    public static IEnumerable<string> MountPoints()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Field 5 is the mount point.
            var fields = line.Split(' ');
            if (fields.Length > 4) yield return Unescape(fields[4]);
        }
    }

    public static bool IsMounted(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        return MountPoints().Any(m => m == full);
    }

    /// <summary>Mount points at or below a folder, deepest first (the order to unmount them in).</summary>
    public static List<string> Under(string folder)
    {
        var root = Path.GetFullPath(folder).TrimEnd('/');
        return MountPoints().Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct().OrderByDescending(m => m.Length).ToList();
    }

    /// <summary>Lazily unmounts everything at or below a folder; returns what was mounted.</summary>
    public static List<string> DetachUnder(string folder)
    {
        var mounts = Under(folder);
        foreach (var m in mounts) LibcMount.Umount2(m, LibcMount.MNT_DETACH);
        return mounts;
    }

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();

    internal static string Unescape(string s) =>
        !s.Contains('\\') ? s : OctalEscape().Replace(s, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
