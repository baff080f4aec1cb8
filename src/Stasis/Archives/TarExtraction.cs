using System.Buffers;
using System.Formats.Tar;
using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>One run of the safe extractor over one folder. Every path is checked component by component with
/// lstat semantics; nothing is ever opened or created through a symlink, and every non-directory is created
/// fresh (O_EXCL), so neither symlinks nor hard links can redirect a write.
/// Synchronous (local files; decompression may run ahead on a thread of its own): TarReader's async path and our own
/// async methods cost ~250 generic methods to JIT per CLI call, which ReadyToRun cannot precompile.</summary>
internal sealed class TarExtraction
{
    private const int CopyBufferSize = 1 << 20;
    private const int BlockSize = 512;
    /// <summary>Below this, handing a chunk's hashing to another thread costs more than it saves.</summary>
    private const int ParallelHashMinimum = 256 * 1024;
    private const UnixFileMode PrivateDirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode ImplicitDirMode = PrivateDirMode |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TarExtractOptions _options;
    // Folders checked (or created) by us; a folder is never replaced once extracted, so this never goes stale.
    private readonly HashSet<string> _knownDirs = new(StringComparer.Ordinal) { "" };
    // Non-directories written by this run: the only legal hard link targets.
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    // Folder modes and times are applied last: a read-only folder must stay writable while it fills, and
    // creating children would change its mtime.
    private readonly Dictionary<string, DirectoryMetadata> _dirMetadata = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDigest>? _digests;
    private PaxXattrSniffer? _sniffer;
    // SHA-256 of file data on a thread of its own, one chunk behind the writes (both cost about as much).
    private BackgroundHasher? _hasher;
    // A second chunk buffer, so one is hashed while the other is read and written into the file.
    private byte[]? _spare;

    public TarExtraction(string root, TarExtractOptions options)
    {
        Root = root;
        _options = options;
        if (options.ComputeFileDigests) _digests = new(StringComparer.Ordinal);
    }

    public string Root { get; }

    /// <summary>The member being processed, for error messages.</summary>
    public string? CurrentMember { get; private set; }

    public int Entries { get; private set; }

    public IReadOnlyDictionary<string, FileDigest>? Digests => _digests;

    /// <summary>Extracts every member of <paramref name="tar"/>, then checks the archive ended properly.</summary>
    public void Run(HashingStream tar, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long endOfLastMember = 0;
            _sniffer = new PaxXattrSniffer(tar);
            using (var reader = new TarReader(_sniffer, leaveOpen: true))
            {
                while (reader.GetNextEntry(copyData: false) is { } entry)
                {
                    ct.ThrowIfCancellationRequested();
                    CurrentMember = entry.Name;
                    Entries++;
                    ExtractEntry(entry, buffer, ct);
                    // Read what nobody consumed so the position is the exact end of this member's data.
                    if (entry.DataStream is { } rest) Drain(rest, buffer);
                    endOfLastMember = tar.BytesHashed;
                }
            }
            CurrentMember = null;
            // TarReader also stops quietly when the input ends exactly between members, so demand the
            // end-of-archive zero block after the last member's padding.
            var paddedEnd = (endOfLastMember + BlockSize - 1) / BlockSize * BlockSize;
            if (tar.BytesHashed < paddedEnd + BlockSize)
            {
                throw StasisException.BadArchive(Entries == 0 && tar.BytesHashed == 0
                    ? "The archive is empty."
                    : "The archive is truncated or damaged: it ends without the end-of-archive marker.");
            }
            // The digest covers the whole stream, including trailing padding blocks.
            while (tar.Read(buffer) > 0) { }
            ApplyDirectoryMetadata();
        }
        finally
        {
            _hasher?.Dispose();
            _hasher = null;
            if (_spare is { } spare) ArrayPool<byte>.Shared.Return(spare);
            _spare = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ExtractEntry(TarEntry entry, byte[] buffer, CancellationToken ct)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes) return;
        var rawXattrs = _sniffer!.TakeNextMember(); // taken for every member, handled or not, to stay in step
        if (!TarPaths.TryNormalize(entry.Name, out var rel, out var reason)) throw Refuse(entry.Name, reason);
        if (_options.EntryHandler is { } handler && Wait(handler(new TarEntryContext(this, entry, rel), ct)))
            return;
        if (!TarXattrs.TryRead(entry, rawXattrs, out var xattrs, out var badXattr))
            throw Refuse(entry.Name, $"the value of extended attribute '{badXattr}' is binary data that cannot be decoded");

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                ExtractDirectory(entry, rel, xattrs);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                ExtractFile(entry, rel, xattrs, buffer, ct);
                break;
            case TarEntryType.HardLink:
                ExtractHardLink(entry, rel);
                break;
            case TarEntryType.SymbolicLink:
                ExtractSymlink(entry, rel, xattrs);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                ExtractNode(entry, rel, xattrs);
                break;
            default:
                throw Refuse(entry.Name, $"entries of type {entry.EntryType} are not supported");
        }
    }

    private void ExtractDirectory(TarEntry entry, string rel, List<KeyValuePair<string, byte[]>> xattrs)
    {
        var full = rel.Length == 0 ? Root : Path.Combine(Root, rel);
        if (rel.Length != 0)
        {
            PrepareParents(rel, entry.Name);
            if (LibcStat.TryLstat(full, out var st))
            {
                if (!st.IsDirectory)
                {
                    if (_knownDirs.Contains(rel)) throw Refuse(entry.Name, "it replaces a folder extracted earlier");
                    File.Delete(full);
                    LibcFileMode.Mkdir(full, PrivateDirMode);
                }
            }
            else LibcFileMode.Mkdir(full, PrivateDirMode);
            _knownDirs.Add(rel);
        }
        ApplyOwnerAndXattrs(full, entry, xattrs);
        _dirMetadata[rel] = new DirectoryMetadata(entry.Mode, entry.ModificationTime);
    }

    private void ExtractFile(TarEntry entry, string rel, List<KeyValuePair<string, byte[]>> xattrs, byte[] buffer, CancellationToken ct)
    {
        var full = PrepareTarget(rel, entry.Name);
        var hasher = _digests is null ? null : _hasher ??= new BackgroundHasher();
        long copied = 0;
        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never opens through a symlink or into an existing file
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        using (var file = new FileStream(full, fileOptions))
        {
            // Created under our private temp root, so the default mode exposes nothing; the final mode comes below.
            if (entry.DataStream is { } data)
            {
                // Two buffers: chunk k is hashed on the hasher's thread while chunk k+1 is read and written here, so
                // reading on (from the read-ahead) never waits for the hash of what was just written.
                var current = buffer;
                byte[]? other = null;
                int n;
                try
                {
                    while (copied < entry.Length &&
                           (n = ReadChunk(data, current.AsSpan(0, (int)Math.Min(current.Length, entry.Length - copied)))) > 0)
                    {
                        ct.ThrowIfCancellationRequested();
                        file.Write(current, 0, n);
                        copied += n;
                        if (hasher is null) continue;
                        hasher.Wait(); // the previous chunk, in the other buffer
                        if (n < ParallelHashMinimum)
                        {
                            hasher.Append(current, n);
                            continue;
                        }
                        hasher.Begin(current, n);
                        other ??= _spare ??= ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                        (current, other) = (other, current);
                    }
                }
                finally
                {
                    hasher?.Wait();
                }
            }
            if (copied != entry.Length) throw new EndOfStreamException($"the data of '{entry.Name}' ends early");
            // chown clears setuid/setgid, so ownership and xattrs go first and the mode last.
            if (_options.PreserveOwnership) LibcFileOwner.SetOwner(full, entry.Uid, entry.Gid);
            SetXattrs(full, xattrs);
            LibcFileMode.Chmod(file.SafeFileHandle, entry.Mode, full);
        }
        LibcFileTimes.SetModificationTime(full, entry.ModificationTime);
        _written.Add(rel);
        if (_digests is not null) _digests[rel] = new FileDigest(copied, Convert.ToHexStringLower(hasher!.GetHashAndReset()));
    }

    private void ExtractHardLink(TarEntry entry, string rel)
    {
        if (!TarPaths.TryNormalize(entry.LinkName, out var targetRel, out var reason))
            throw Refuse(entry.Name, $"its hard link target '{entry.LinkName}' is unsafe: {reason}");
        if (targetRel == rel) throw Refuse(entry.Name, "it is a hard link to itself");
        if (!_written.Contains(targetRel))
            throw Refuse(entry.Name, $"its hard link target '{entry.LinkName}' is not a file extracted earlier from this archive");
        var targetFull = ResolveExistingNonDirectory(targetRel, entry.Name);
        var full = PrepareTarget(rel, entry.Name);
        LibcLinks.HardLink(targetFull, full);
        _written.Add(rel);
        if (_digests is not null && _digests.TryGetValue(targetRel, out var digest)) _digests[rel] = digest;
    }

    private void ExtractSymlink(TarEntry entry, string rel, List<KeyValuePair<string, byte[]>> xattrs)
    {
        if (!TarPaths.IsSymlinkTargetSafe(rel, entry.LinkName, allowAbsolute: !_options.StrictSymlinks, out var reason))
            throw Refuse(entry.Name, reason);
        var full = PrepareTarget(rel, entry.Name);
        File.CreateSymbolicLink(full, entry.LinkName);
        ApplyOwnerAndXattrs(full, entry, xattrs);
        LibcFileTimes.SetModificationTime(full, entry.ModificationTime);
        _written.Add(rel);
        _digests?.Remove(rel);
    }

    private void ExtractNode(TarEntry entry, string rel, List<KeyValuePair<string, byte[]>> xattrs)
    {
        if (!_options.AllowDevices)
            throw Refuse(entry.Name, $"{(entry.EntryType == TarEntryType.Fifo ? "FIFOs" : "device nodes")} are not allowed in this archive");
        var full = PrepareTarget(rel, entry.Name);
        var type = entry.EntryType switch
        {
            TarEntryType.CharacterDevice => Statx.S_IFCHR,
            TarEntryType.BlockDevice => Statx.S_IFBLK,
            _ => Statx.S_IFIFO,
        };
        var (major, minor) = entry is PosixTarEntry p ? (p.DeviceMajor, p.DeviceMinor) : (0, 0);
        LibcNodes.Create(full, type, UnixFileMode.UserRead | UnixFileMode.UserWrite, major, minor);
        ApplyOwnerAndXattrs(full, entry, xattrs);
        LibcFileMode.Chmod(full, entry.Mode); // the node was just created here, so the path is not a symlink
        LibcFileTimes.SetModificationTime(full, entry.ModificationTime);
        _written.Add(rel);
        _digests?.Remove(rel);
    }

    /// <summary>Makes <paramref name="rel"/> ready to be created: safe parents exist, and a non-directory already
    /// there (an earlier duplicate member) is removed. A folder is never replaced.</summary>
    internal string PrepareTarget(string rel, string member)
    {
        if (!TarPaths.TryNormalize(rel, out var normalized, out var reason)) throw Refuse(member, reason);
        if (normalized.Length == 0) throw Refuse(member, "only a folder can stand for the root of the tree");
        PrepareParents(normalized, member);
        var full = Path.Combine(Root, normalized);
        if (LibcStat.TryLstat(full, out var st))
        {
            if (st.IsDirectory) throw Refuse(member, "a folder of that name was extracted earlier");
            File.Delete(full);
        }
        return full;
    }

    /// <summary>The full path of an existing folder in the tree, reached without passing any symlink.</summary>
    internal string ResolveDirectory(string rel, string member)
    {
        if (!TarPaths.TryNormalize(rel, out var normalized, out var reason)) throw Refuse(member, reason);
        if (normalized.Length == 0) return Root;
        CheckParents(normalized, member, create: false);
        var full = Path.Combine(Root, normalized);
        if (!LibcStat.TryLstat(full, out var st) || !st.IsDirectory) throw Refuse(member, $"'{normalized}' is not a folder in the tree");
        return full;
    }

    private string ResolveExistingNonDirectory(string rel, string member)
    {
        CheckParents(rel, member, create: false);
        var full = Path.Combine(Root, rel);
        if (!LibcStat.TryLstat(full, out var st) || st.IsDirectory)
            throw Refuse(member, $"its hard link target '{rel}' is no longer a file in the tree");
        return full;
    }

    private void PrepareParents(string rel, string member) => CheckParents(rel, member, create: true);

    /// <summary>Walks the parent folders of <paramref name="rel"/> with lstat: each must be a real folder (created
    /// when missing and <paramref name="create"/> is set), never a symlink or a file.</summary>
    private void CheckParents(string rel, string member, bool create)
    {
        var slash = -1;
        while ((slash = rel.IndexOf('/', slash + 1)) >= 0)
        {
            var parent = rel[..slash];
            if (_knownDirs.Contains(parent)) continue;
            var full = Path.Combine(Root, parent);
            if (LibcStat.TryLstat(full, out var st))
            {
                if (st.IsSymlink) throw Refuse(member, $"its parent '{parent}' is a symlink, and extraction never follows symlinks");
                if (!st.IsDirectory) throw Refuse(member, $"its parent '{parent}' is not a folder");
            }
            else if (create)
            {
                LibcFileMode.Mkdir(full, ImplicitDirMode);
            }
            else throw Refuse(member, $"its parent '{parent}' does not exist");
            _knownDirs.Add(parent);
        }
    }

    private void ApplyOwnerAndXattrs(string full, TarEntry entry, List<KeyValuePair<string, byte[]>> xattrs)
    {
        if (_options.PreserveOwnership) LibcFileOwner.SetOwner(full, entry.Uid, entry.Gid);
        SetXattrs(full, xattrs);
    }

    private static void SetXattrs(string full, List<KeyValuePair<string, byte[]>> xattrs)
    {
        foreach (var (name, value) in xattrs)
        {
            try
            {
                LibcXattr.Set(full, name, value);
            }
            catch (IOException e) when (!Environment.IsPrivilegedProcess && !name.StartsWith("user.", StringComparison.Ordinal) &&
                                        e.HResult is 1 /* EPERM */ or LibcErrno.EOPNOTSUPP)
            {
                // Without privileges, trusted.* and security.* cannot be set; like tar, carry on without them.
            }
        }
    }

    private void ApplyDirectoryMetadata()
    {
        // Deepest first, so a folder's own time is set after its children's changes.
        var folders = new List<string>(_dirMetadata.Keys);
        folders.Sort((a, b) => b.Length.CompareTo(a.Length));
        foreach (var rel in folders)
        {
            var metadata = _dirMetadata[rel];
            var full = rel.Length == 0 ? Root : Path.Combine(Root, rel);
            LibcFileMode.Chmod(full, metadata.Mode);
            LibcFileTimes.SetModificationTime(full, metadata.Mtime);
        }
        if (!_dirMetadata.ContainsKey("")) LibcFileMode.Chmod(Root, ImplicitDirMode);
    }

    /// <summary>Fills <paramref name="chunk"/> unless the data ends first: the source hands out pieces cut at its own
    /// block boundaries, and a whole chunk is what makes handing its hashing to another thread worth it.</summary>
    private static int ReadChunk(Stream data, Span<byte> chunk) => data.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);

    private static void Drain(Stream data, byte[] buffer)
    {
        while (data.Read(buffer) > 0) { }
    }

    /// <summary>The result of a caller's hook, which normally completes at once.</summary>
    private static bool Wait(ValueTask<bool> pending) =>
        pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();

    private static StasisException Refuse(string member, string reason) =>
        StasisException.BadArchive($"Refusing archive member '{member}': {reason}");
}
