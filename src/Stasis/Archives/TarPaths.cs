namespace Stasis.Archives;

/// <summary>Lexical rules for member names and link targets. Names are judged as text only; the extractor
/// separately refuses to pass through symlinks on disk, so the two together keep every write inside the tree.</summary>
internal static class TarPaths
{
    /// <summary>Normalises a member name to a '/'-separated path relative to the tree root ("" is the root itself).
    /// A leading "./" is accepted; absolute names, NUL bytes and ".." that climbs above the root are not.</summary>
    public static bool TryNormalize(string name, out string relative, out string reason)
    {
        relative = "";
        reason = "";
        if (name.Length == 0) { reason = "the name is empty"; return false; }
        if (name.Contains('\0')) { reason = "the name contains a NUL byte"; return false; }
        if (name[0] == '/') { reason = "the name is an absolute path"; return false; }
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) { reason = "the name climbs out of the target folder with '..'"; return false; }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        relative = string.Join('/', parts);
        return true;
    }

    /// <summary>Checks a symlink target with rootfs semantics: an absolute target is resolved against the tree root
    /// (so "/bin/busybox" is fine, and ".." at the root stays at the root, as in a chroot); a relative target must not
    /// climb above the root from the link's own folder. With <paramref name="allowAbsolute"/> false, absolute targets
    /// are refused too.</summary>
    public static bool IsSymlinkTargetSafe(string linkRelative, string target, bool allowAbsolute, out string reason)
    {
        reason = "";
        if (target.Length == 0) { reason = "the symlink target is empty"; return false; }
        if (target.Contains('\0')) { reason = "the symlink target contains a NUL byte"; return false; }
        if (target[0] == '/')
        {
            if (allowAbsolute) return true;
            reason = $"the symlink target '{target}' is absolute, which this archive may not contain";
            return false;
        }
        var depth = linkRelative.Split('/', StringSplitOptions.RemoveEmptyEntries).Length - 1; // the link's folder
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (depth == 0) { reason = $"the symlink target '{target}' points outside the target folder"; return false; }
                depth--;
            }
            else depth++;
        }
        return true;
    }
}
