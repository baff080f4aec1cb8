using Stasis.Archives;
using Stasis.Interop;

namespace Stasis.Images;

/// <summary>Finds a file as the merged (overlay) view of unpacked layers would show it, without mounting them:
/// the top-most layer that has it wins, and a whiteout or an opaque folder on the way hides the layers below.</summary>
internal static class LayerFiles
{
    /// <summary>The path of <paramref name="relativePath"/> ("etc/passwd") in the top-most layer that has it as a
    /// regular file; null when it is absent, deleted, or reached through a symlink (which is never followed).</summary>
    public static string? Find(IReadOnlyList<string> layersTopFirst, string relativePath)
    {
        var parts = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var layer in layersTopFirst)
        {
            var path = layer;
            var opaque = false;
            for (var i = 0; i < parts.Length; i++)
            {
                path = Path.Combine(path, parts[i]);
                if (!LibcStat.TryLstat(path, out var st)) break; // not in this layer: look below, unless hidden
                if (st.FileType == Statx.S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0) return null; // whited out
                if (i == parts.Length - 1) return st.IsRegular ? path : null;
                if (!st.IsDirectory) return null; // a file or symlink stands where a folder should be
                opaque |= IsOpaque(path);
            }
            if (opaque) return null;
        }
        return null;
    }

    private static bool IsOpaque(string dir) =>
        LibcXattr.GetAll(dir).Any(x => x.Key == OciWhiteouts.OpaqueXattr && x.Value is [(byte)'y']);
}
