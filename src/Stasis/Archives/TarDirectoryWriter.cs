using System.Formats.Tar;
using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Writes a folder tree as a PAX tar, in a deterministic order (a folder before its contents, names
/// sorted ordinally). Keeps modes, numeric ownership, mtimes, symlinks, hard links (by device and inode),
/// devices, FIFOs and extended attributes; sockets cannot be archived and are skipped.
/// The work is synchronous (local files): TarWriter's async path and our own async methods cost a JIT of a few
/// hundred generic methods on every CLI call, which ReadyToRun cannot precompile.</summary>
internal static class TarDirectoryWriter
{
    public static Task<TarWriteResult> WriteAsync(string root, Stream output, TarWriteOptions? options, CancellationToken ct)
    {
        try { return Task.FromResult(Write(root, output, options, ct)); }
        catch (Exception e) { return Task.FromException<TarWriteResult>(e); }
    }

    public static TarWriteResult Write(string root, Stream output, TarWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        return Write(root, writer, options, ct);
    }

    /// <inheritdoc cref="Write(string, TarWriter, TarWriteOptions?, CancellationToken)"/>
    public static Task<TarWriteResult> WriteAsync(string root, TarWriter writer, TarWriteOptions? options, CancellationToken ct)
    {
        try { return Task.FromResult(Write(root, writer, options, ct)); }
        catch (Exception e) { return Task.FromException<TarWriteResult>(e); }
    }

    /// <summary>Writes the tree's members through a caller's PAX writer, which stays open, so several trees (or extra
    /// members) can go into one archive before the caller disposes it and so ends the archive.</summary>
    public static TarWriteResult Write(string root, TarWriter writer, TarWriteOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(writer);
        options ??= new TarWriteOptions();
        root = Path.GetFullPath(root);
        if (!LibcStat.TryLstat(root, out var rootStat) || !rootStat.IsDirectory)
            throw StasisException.NotFound($"The folder '{root}' does not exist.");

        var state = new TarWriteState(root, options);
        foreach (var rel in TopLevel(root, options))
            WriteTree(writer, state, rel, ct);
        return new TarWriteResult(state.Entries, state.Digests);
    }

    private static string WhiteoutName(string rel)
    {
        var slash = rel.LastIndexOf('/');
        return slash < 0 ? ".wh." + rel : $"{rel[..slash]}/.wh.{rel[(slash + 1)..]}";
    }

    /// <summary>An empty OCI whiteout member (".wh.NAME" or ".wh..wh..opq").</summary>
    private static void WriteMarker(TarWriter writer, TarWriteState state, string name, Statx st)
    {
        state.Entries++;
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = 0,
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModificationTime = st.ModificationTime.ToDateTimeOffset(),
        });
    }

    private static IEnumerable<string> TopLevel(string root, TarWriteOptions options)
    {
        if (options.Paths is null) return SortedChildren(root, "");
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in options.Paths)
        {
            if (!TarPaths.TryNormalize(p, out var rel, out var reason) || rel.Length == 0)
                throw StasisException.Invalid($"Cannot archive '{p}': {(rel.Length == 0 && reason.Length == 0 ? "it is the root itself" : reason)}.");
            if (!LibcStat.TryLstat(Path.Combine(root, rel), out _))
                throw StasisException.NotFound($"Cannot archive '{p}': it does not exist in '{root}'.");
            paths.Add(rel);
        }
        // A path below another listed folder is already written with it.
        var top = new List<string>(paths.Count);
        foreach (var p in paths)
        {
            var below = false;
            foreach (var q in paths) below |= p.StartsWith(q + "/", StringComparison.Ordinal);
            if (!below) top.Add(p);
        }
        return top;
    }

    private static IEnumerable<string> SortedChildren(string root, string rel)
    {
        var names = new List<string>();
        foreach (var full in Directory.EnumerateFileSystemEntries(rel.Length == 0 ? root : Path.Combine(root, rel)))
            names.Add(Path.GetFileName(full));
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names) yield return rel.Length == 0 ? name : rel + "/" + name;
    }

    private static void WriteTree(TarWriter writer, TarWriteState state, string rel, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (state.Options.Include is { } include && !include(rel)) return;
        var full = Path.Combine(state.Root, rel);
        if (!LibcStat.TryLstat(full, out var st)) return; // removed meanwhile
        WriteEntry(writer, state, rel, full, st);
        if (st.IsDirectory)
        {
            foreach (var child in SortedChildren(state.Root, rel))
                WriteTree(writer, state, child, ct);
        }
    }

    private static void WriteEntry(TarWriter writer, TarWriteState state, string rel, string full, Statx st)
    {
        var pax = new Dictionary<string, string>(StringComparer.Ordinal);
        var oci = state.Options.OciWhiteouts;
        var opaque = false;
        foreach (var (name, value) in LibcXattr.GetAll(full))
        {
            if (oci && name.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            {
                opaque |= name == "trusted.overlay.opaque" && value is [(byte)'y'];
                continue;
            }
            if (state.Options.IncludeXattr is null || state.Options.IncludeXattr(name)) TarXattrs.Add(pax, name, value);
        }
        if (oci && st.FileType == Statx.S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0)
        {
            WriteMarker(writer, state, WhiteoutName(rel), st);
            return;
        }

        var type = st.FileType switch
        {
            Statx.S_IFDIR => TarEntryType.Directory,
            Statx.S_IFREG => TarEntryType.RegularFile,
            Statx.S_IFLNK => TarEntryType.SymbolicLink,
            Statx.S_IFCHR => TarEntryType.CharacterDevice,
            Statx.S_IFBLK => TarEntryType.BlockDevice,
            Statx.S_IFIFO => TarEntryType.Fifo,
            _ => (TarEntryType?)null,
        };
        if (type is null) return; // a socket: tar has no way to hold one

        string? hardLinkTarget = null;
        if (type != TarEntryType.Directory && st.NLink > 1)
        {
            var key = $"{st.DevMajor}:{st.DevMinor}:{st.Inode}";
            if (!state.FirstLinks.TryAdd(key, rel)) hardLinkTarget = state.FirstLinks[key];
        }

        var entry = new PaxTarEntry(hardLinkTarget is null ? type.Value : TarEntryType.HardLink,
            type == TarEntryType.Directory ? rel + "/" : rel, pax)
        {
            Mode = st.Permissions,
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModificationTime = st.ModificationTime.ToDateTimeOffset(),
        };
        if (hardLinkTarget is not null)
        {
            entry.LinkName = hardLinkTarget;
            state.Entries++;
            writer.WriteEntry(entry);
            if (state.Digests is not null && state.Digests.TryGetValue(hardLinkTarget, out var d)) state.Digests[rel] = d;
            return;
        }
        switch (type)
        {
            case TarEntryType.SymbolicLink:
                entry.LinkName = new FileInfo(full).LinkTarget ?? throw new IOException($"Cannot read the symlink '{full}'.");
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                entry.DeviceMajor = (int)st.RdevMajor;
                entry.DeviceMinor = (int)st.RdevMinor;
                break;
        }
        state.Entries++;
        if (type != TarEntryType.RegularFile)
        {
            writer.WriteEntry(entry);
            if (opaque) WriteMarker(writer, state, rel + "/.wh..wh..opq", st);
            return;
        }
        using var source = new TarFileSource(full, (long)st.Size, hash: state.Digests is not null);
        entry.DataStream = source;
        writer.WriteEntry(entry);
        if (state.Digests is not null) state.Digests[rel] = source.GetDigest();
    }
}
