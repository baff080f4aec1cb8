using Stasis.Criu.Proto;

namespace Stasis.Criu.Images;

/// <summary>A read-only view over one CRIU images folder. Each image is read on first use and kept, so a caller pays
/// only for what it asks (the summary never touches pages files). Not thread-safe.</summary>
internal sealed class CheckpointImages
{
    private List<pstree_entry>? _tree;
    private uint[]? _pids;
    private inventory_entry? _inventory;
    private Dictionary<uint, file_entry>? _files;
    // Created on first use: building a dictionary over a generated message type loads Google.Protobuf, which the
    // memory search otherwise never needs.
    private Dictionary<int, core_entry?>? _cores;
    private Dictionary<int, mm_entry?>? _mms;
    private readonly Dictionary<int, ProcessPagemap?> _pagemaps = [];
    private readonly Dictionary<ulong, ProcessPagemap?> _shmemPagemaps = [];

    private CheckpointImages(string directory, long pageSize)
    {
        Directory = directory;
        PageSize = pageSize;
    }

    public string Directory { get; }
    /// <summary>Parsed on first use; <see cref="Open"/> has checked that it holds one well-formed entry.</summary>
    public inventory_entry Inventory => _inventory ??= ImageFile.ReadSingle(Path("inventory.img"), CriuMagic.Inventory, inventory_entry.Parser)!;
    /// <summary>CRIU dumps in the host's page size and restores only on the same architecture.</summary>
    public long PageSize { get; }

    /// <summary>Opens a CRIU images folder; throws NotFound when it is missing and BadArchive when it holds no valid
    /// inventory.img.</summary>
    public static CheckpointImages Open(string directory, long pageSize = 0)
    {
        if (!System.IO.Directory.Exists(directory))
            throw StasisException.NotFound($"checkpoint images folder {directory} does not exist");
        var path = System.IO.Path.Combine(directory, "inventory.img");
        if (!File.Exists(path))
            throw StasisException.BadArchive($"{directory} is not a CRIU images folder: inventory.img is missing");
        // Checked by hand, not parsed: the memory search never needs the inventory, and the generated parsers (the
        // Google.Protobuf assembly, each message type's set-up, JIT of its generic codecs) cost milliseconds at start.
        ForEachEntry(path, CriuMagic.Inventory, static (entry, file, at) =>
        {
            var r = new ProtoFieldReader(entry, file, at);
            while (r.Next(out _, out var wire))
                r.SkipField(wire);
            return false;
        }, "inventory_entry");
        return new CheckpointImages(directory, pageSize > 0 ? pageSize : Environment.SystemPageSize);
    }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public IReadOnlyList<pstree_entry> Tree
        => _tree ??= ImageFile.ReadAll(Path("pstree.img"), CriuMagic.Pstree, pstree_entry.Parser)
            ?? throw StasisException.BadArchive($"{Directory} is not a complete CRIU dump: pstree.img is missing");

    /// <summary>The pids of pstree.img in its order (the memory search and summaries need nothing else from it), read
    /// by hand like <see cref="Command"/>: a missing pid is 0, as the generated parser would have it.</summary>
    public uint[] Pids => _pids ??= ReadPids();

    private uint[] ReadPids()
    {
        var path = Path("pstree.img");
        if (!File.Exists(path))
            throw StasisException.BadArchive($"{Directory} is not a complete CRIU dump: pstree.img is missing");
        var pids = new uint[4];
        var count = 0;
        ForEachEntry(path, CriuMagic.Pstree, (entry, file, at) =>
        {
            uint pid = 0;
            var r = new ProtoFieldReader(entry, file, at);
            while (r.Next(out var field, out var wire))
            {
                if (field == 1 && wire == 0)
                    pid = (uint)r.ReadVarint();
                else
                    r.SkipField(wire);
            }
            // Grown by hand: Array.Resize<uint> is not precompiled and would be JIT-compiled at every start.
            if (count == pids.Length)
                pids = Copy(pids, count * 2, count);
            pids[count++] = pid;
            return true;
        }, null);
        return count == pids.Length ? pids : Copy(pids, count, count);
    }

    private static uint[] Copy(uint[] from, int length, int count)
    {
        var to = new uint[length];
        Array.Copy(from, to, count);
        return to;
    }

    /// <summary>The task's command name (core_entry.tc.comm) read by hand, without <see cref="Core"/>'s parse of the
    /// whole image; "" when core-N.img is missing or names none. As the generated parser merges repeated message
    /// fields, the last comm wins.</summary>
    public string Command(int pid)
    {
        var path = Path($"core-{pid}.img");
        if (!File.Exists(path))
            return "";
        var comm = "";
        ForEachEntry(path, CriuMagic.Core, (entry, file, at) =>
        {
            var r = new ProtoFieldReader(entry, file, at);
            while (r.Next(out var field, out var wire))
            {
                if (field != 3 || wire != 2)
                {
                    r.SkipField(wire);
                    continue;
                }
                var tc = new ProtoFieldReader(r.ReadLengthDelimited(), file, at);
                while (tc.Next(out var f, out var w))
                {
                    if (f == 6 && w == 2)
                        comm = System.Text.Encoding.UTF8.GetString(tc.ReadLengthDelimited());
                    else
                        tc.SkipField(w);
                }
            }
            return false;
        }, "core_entry");
        return comm;
    }

    /// <summary>Calls <paramref name="entry"/> with each entry's protobuf bytes until it returns false. With
    /// <paramref name="required"/> (a message name), an image without entries is damaged, as for
    /// <see cref="ImageFile.ReadSingle"/>.</summary>
    private static void ForEachEntry(string path, uint magic, Func<ReadOnlySpan<byte>, string, int, bool> entry, string? required)
    {
        var buffer = ImageFile.Load(path, out var length);
        try
        {
            var reader = ImageReader.Open(buffer.AsSpan(0, length), path, magic);
            var any = false;
            while (reader.TryReadEntry(out var payload, out var at))
            {
                any = true;
                if (!entry(payload, path, at))
                    break;
            }
            if (!any && required is not null)
                throw ImageReader.Damaged(path, reader.Offset, $"image holds no {required} entry");
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The main thread's core image (command name, state, ids); null when missing.</summary>
    public core_entry? Core(int pid)
    {
        _cores ??= [];
        if (!_cores.TryGetValue(pid, out var core))
            _cores[pid] = core = ImageFile.ReadSingle(Path($"core-{pid}.img"), CriuMagic.Core, core_entry.Parser);
        return core;
    }

    /// <summary>Kernel object ids of a task: in core-N.img since CRIU 3, in ids-N.img before.</summary>
    public task_kobj_ids_entry? Ids(int pid)
        => Core(pid)?.Ids ?? ImageFile.ReadSingle(Path($"ids-{pid}.img"), CriuMagic.Ids, task_kobj_ids_entry.Parser);

    public mm_entry? Mm(int pid)
    {
        _mms ??= [];
        if (!_mms.TryGetValue(pid, out var mm))
            _mms[pid] = mm = ImageFile.ReadSingle(Path($"mm-{pid}.img"), CriuMagic.Mm, mm_entry.Parser);
        return mm;
    }

    public ProcessPagemap? Pagemap(int pid)
    {
        if (!_pagemaps.TryGetValue(pid, out var pm))
            _pagemaps[pid] = pm = ProcessPagemap.TryRead(Path($"pagemap-{pid}.img"), PageSize);
        return pm;
    }

    /// <summary>The pagemap of a shared anonymous mapping, keyed by the VMA's shmid.</summary>
    public ProcessPagemap? ShmemPagemap(ulong shmid)
    {
        if (!_shmemPagemaps.TryGetValue(shmid, out var pm))
            _shmemPagemaps[shmid] = pm = ProcessPagemap.TryRead(Path($"pagemap-shmem-{shmid}.img"), PageSize);
        return pm;
    }

    /// <summary>A process's descriptors: fdinfo-&lt;files_id&gt;.img when the inventory says so, else fdinfo-&lt;pid&gt;.img.</summary>
    public IReadOnlyList<fdinfo_entry> Fdinfo(int pid)
    {
        var name = Inventory.FdinfoPerId && Ids(pid) is { } ids ? $"fdinfo-{ids.FilesId}.img" : $"fdinfo-{pid}.img";
        return ImageFile.ReadAll(Path(name), CriuMagic.Fdinfo, fdinfo_entry.Parser) ?? [];
    }

    public fs_entry? Fs(int pid) => ImageFile.ReadSingle(Path($"fs-{pid}.img"), CriuMagic.Fs, fs_entry.Parser);

    /// <summary>Every file object by id: files.img, plus the per-type images older CRIU wrote instead.</summary>
    public IReadOnlyDictionary<uint, file_entry> Files => _files ??= LoadFiles();

    /// <summary>Mounts of every dumped mount namespace (mountpoints-N.img); empty when none was dumped.</summary>
    public List<mnt_entry> Mounts()
    {
        var list = new List<mnt_entry>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "mountpoints-*.img").Order(StringComparer.Ordinal))
            list.AddRange(ImageFile.ReadAll(file, CriuMagic.Mnts, mnt_entry.Parser) ?? []);
        return list;
    }

    /// <summary>stats-dump or stats-restore; looked for in the images folder and in its parent (Podman keeps a
    /// copy of stats-dump beside checkpoint/), but only when the images folder is such a checkpoint/ member.</summary>
    public stats_entry? Stats(string name)
    {
        var here = Path(name);
        var images = Directory.TrimEnd('/');
        if (!File.Exists(here) && System.IO.Path.GetFileName(images) == Checkpoints.CheckpointLayout.CriuImages
            && System.IO.Path.GetDirectoryName(images) is { } parent)
            here = System.IO.Path.Combine(parent, name);
        return ImageFile.ReadSingle(here, CriuMagic.Stats, stats_entry.Parser);
    }

    private Dictionary<uint, file_entry> LoadFiles()
    {
        var map = new Dictionary<uint, file_entry>();
        foreach (var f in ImageFile.ReadAll(Path("files.img"), CriuMagic.Files, file_entry.Parser) ?? [])
            map[f.Id] = f;
        foreach (var r in ImageFile.ReadAll(Path("reg-files.img"), CriuMagic.RegFiles, reg_file_entry.Parser) ?? [])
            map.TryAdd(r.Id, new file_entry { Type = fd_types.Reg, Id = r.Id, Reg = r });
        foreach (var s in ImageFile.ReadAll(Path("inetsk.img"), CriuMagic.InetSk, inet_sk_entry.Parser) ?? [])
            map.TryAdd(s.Id, new file_entry { Type = fd_types.Inetsk, Id = s.Id, Isk = s });
        foreach (var s in ImageFile.ReadAll(Path("unixsk.img"), CriuMagic.UnixSk, unix_sk_entry.Parser) ?? [])
            map.TryAdd(s.Id, new file_entry { Type = fd_types.Unixsk, Id = s.Id, Usk = s });
        foreach (var p in ImageFile.ReadAll(Path("pipes.img"), CriuMagic.Pipes, pipe_entry.Parser) ?? [])
            map.TryAdd(p.Id, new file_entry { Type = fd_types.Pipe, Id = p.Id, Pipe = p });
        return map;
    }
}
