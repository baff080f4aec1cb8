using System.Buffers;
using Stasis.Criu.Proto;

namespace Stasis.Criu.Images;

/// <summary>Builds the public <see cref="CheckpointInspection"/> from a <see cref="CheckpointImages"/> view.</summary>
internal static class CheckpointInspector
{
    /// <summary>argv and environ longer than this are cut: the kernel's own limit on the whole block is similar.</summary>
    private const int MaxStringsBlock = 2 * 1024 * 1024;

    public static CheckpointInspection Inspect(CheckpointImages images, InspectOptions options, CancellationToken ct)
    {
        var processes = new List<CheckpointProcess>();
        var sockets = options.Sockets ? new List<CheckpointSocket>() : null;
        foreach (var entry in images.Tree)
        {
            ct.ThrowIfCancellationRequested();
            processes.Add(Process(images, entry, options, sockets));
        }
        return new CheckpointInspection(
            images.Directory,
            (int)images.Inventory.ImgVersion,
            processes,
            sockets,
            options.Mounts ? Mounts(images) : null,
            options.Stats ? Stats(images) : null);
    }

    private static CheckpointProcess Process(CheckpointImages images, pstree_entry e, InspectOptions o, List<CheckpointSocket>? sockets)
    {
        var pid = (int)e.Pid;
        var tc = images.Core(pid)?.Tc;
        var threads = e.Threads.Count > 0 ? e.Threads.Select(t => (int)t).ToArray() : [pid];
        mm_entry? mm = o.Cmdline || o.Environment || o.Memory ? images.Mm(pid) : null;
        ValueList<OpenFile>? files = null;
        string? cwd = null;
        if (o.Files || sockets is not null)
        {
            var (f, s) = Descriptors(images, pid);
            if (o.Files)
            {
                files = f;
                cwd = images.Fs(pid) is { } fs && images.Files.TryGetValue(fs.CwdId, out var c) && c.Reg is { } r ? r.Name : null;
            }
            sockets?.AddRange(s);
        }
        return new CheckpointProcess(
            pid, (int)e.Ppid, (int)e.Pgid, (int)e.Sid, threads,
            tc?.Comm ?? "",
            tc is null ? "unknown" : CriuNames.TaskState(tc.TaskState),
            o.Cmdline ? Strings(images, pid, mm?.MmArgStart ?? 0, mm?.MmArgEnd ?? 0) : null,
            o.Environment ? Strings(images, pid, mm?.MmEnvStart ?? 0, mm?.MmEnvEnd ?? 0) : null,
            cwd,
            files,
            o.Memory ? Memory(images, pid, mm) : null);
    }

    /// <summary>A process's open files and the sockets among them.</summary>
    internal static (List<OpenFile> Files, List<CheckpointSocket> Sockets) Descriptors(CheckpointImages images, int pid)
    {
        var files = new List<OpenFile>();
        var sockets = new List<CheckpointSocket>();
        foreach (var fd in images.Fdinfo(pid).OrderBy(f => f.Fd))
        {
            images.Files.TryGetValue(fd.Id, out var f);
            files.Add(Describe(images, (int)fd.Fd, fd.Type, f));
            if (f?.Isk is { } isk)
                sockets.Add(new CheckpointSocket(pid, (int)fd.Fd, CriuNames.SocketFamily(isk.Family), CriuNames.SocketType(isk.Type),
                    CriuNames.Protocol(isk.Proto), CriuNames.SocketState(isk.State),
                    CriuNames.Address(isk.SrcAddr), (int)isk.SrcPort, CriuNames.Address(isk.DstAddr), (int)isk.DstPort, null, isk.Ino));
            else if (f?.Usk is { } usk)
                sockets.Add(new CheckpointSocket(pid, (int)fd.Fd, "unix", CriuNames.SocketType(usk.Type), "",
                    CriuNames.SocketState(usk.State), Path: CriuNames.UnixName(usk), Inode: usk.Ino));
        }
        return (files, sockets);
    }

    private static OpenFile Describe(CheckpointImages images, int fd, fd_types type, file_entry? f)
    {
        var kind = CriuNames.FdType(type);
        string? RegName(uint id) => images.Files.TryGetValue(id, out var r) && r.Reg is { } reg ? reg.Name : null;
        return f switch
        {
            { Reg: { } r } => new OpenFile(fd, kind, r.Name, r.Pos, CriuNames.Mode(r.Flags)),
            { Pipe: { } p } => new OpenFile(fd, kind, $"pipe:[{p.PipeId}]", null, CriuNames.Mode(p.Flags)),
            { Fifo: { } p } => new OpenFile(fd, kind, p.HasRegfId ? RegName(p.RegfId) : $"fifo:[{p.PipeId}]"),
            { Tty: { } t } => new OpenFile(fd, kind, t.HasRegfId ? RegName(t.RegfId) : null, null, CriuNames.Mode(t.Flags)),
            { Memfd: { } m } => new OpenFile(fd, kind, $"memfd:[{m.InodeId}]", m.Pos, CriuNames.Mode(m.Flags)),
            { Isk: { } s } => new OpenFile(fd, kind, InetDescription(s), null, CriuNames.Mode(s.Flags)),
            { Usk: { } u } => new OpenFile(fd, kind, $"unix {CriuNames.SocketType(u.Type)} {CriuNames.UnixName(u) ?? $"[{u.Ino}]"} ({CriuNames.SocketState(u.State)})"),
            { Nsf: { } n } => new OpenFile(fd, kind, $"ns:[{n.NsId}]"),
            _ => new OpenFile(fd, kind, null),
        };
    }

    /// <summary>lsof's style: "tcp 127.0.0.1:80 (LISTEN)", "tcp 10.0.0.2:5000->10.0.0.1:80 (ESTABLISHED)".</summary>
    private static string InetDescription(inet_sk_entry s)
    {
        var local = Endpoint(CriuNames.Address(s.SrcAddr), s.SrcPort);
        var remote = s.DstPort == 0 ? "" : "->" + Endpoint(CriuNames.Address(s.DstAddr), s.DstPort);
        return $"{CriuNames.Protocol(s.Proto)} {local}{remote} ({CriuNames.SocketState(s.State)})";
    }

    private static string Endpoint(string? address, uint port)
        => address is null ? $"*:{port}" : address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";

    /// <summary>NUL-separated strings (argv or environ) from dumped memory; empty when the pages are not here.</summary>
    internal static ValueList<string> Strings(CheckpointImages images, int pid, ulong start, ulong end)
    {
        if (end <= start || images.Pagemap(pid) is not { } pm)
            return ValueList<string>.Empty;
        var length = (int)Math.Min(end - start, MaxStringsBlock);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var n = pm.ReadMemory(start, buffer.AsSpan(0, length));
            var list = new List<string>();
            var span = buffer.AsSpan(0, n);
            while (span.Length > 0)
            {
                var z = span.IndexOf((byte)0);
                var part = z < 0 ? span : span[..z];
                if (z >= 0 || part.Length > 0)
                    list.Add(System.Text.Encoding.UTF8.GetString(part));
                span = z < 0 ? default : span[(z + 1)..];
            }
            return list;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static ProcessMemory? Memory(CheckpointImages images, int pid, mm_entry? mm)
    {
        var pm = images.Pagemap(pid);
        if (mm is null && pm is null)
            return null;
        var areas = new List<MemoryArea>();
        ulong shared = 0, virt = 0;
        foreach (var v in (IEnumerable<vma_entry>?)mm?.Vmas ?? [])
        {
            virt += v.End - v.Start;
            string? path = null;
            if (CriuNames.IsFileMapping(v.Status) && images.Files.TryGetValue((uint)v.Shmid, out var f) && f.Reg is { } reg)
                path = reg.Name;
            if (CriuNames.IsAnonShared(v.Status) && images.ShmemPagemap(v.Shmid) is { } shm)
                shared += PagesWithin(shm, v.Pgoff, v.Pgoff + (v.End - v.Start));
            // CRIU flags only grows-down stacks; the main stack is the mapping holding mm_start_stack.
            var kind = mm!.MmStartStack >= v.Start && mm.MmStartStack < v.End ? "stack" : CriuNames.VmaKind(v.Status);
            areas.Add(new MemoryArea(v.Start, v.End, CriuNames.Protection(v.Prot, v.Flags), kind, path,
                pm is null ? 0 : PagesWithin(pm, v.Start, v.End)));
        }
        var resident = pm?.TotalPages ?? 0;
        return new ProcessMemory(images.PageSize, resident, pm?.PagesInFile ?? 0, pm?.PagesInParent ?? 0, pm?.LazyOnlyPages ?? 0,
            shared, (resident + shared) * (ulong)images.PageSize, virt, areas);
    }

    /// <summary>Pages of a pagemap that fall in [start, end) (shmem pagemaps are keyed by offset in the object).</summary>
    private static ulong PagesWithin(ProcessPagemap pm, ulong start, ulong end)
    {
        ulong pages = 0, ps = (ulong)pm.PageSize;
        foreach (var r in pm.Runs)
        {
            var rs = r.Address;
            var re = r.Address + r.Pages * ps;
            var lo = Math.Max(rs, start);
            var hi = Math.Min(re, end);
            if (hi > lo)
                pages += (hi - lo) / ps;
        }
        return pages;
    }

    private static List<CheckpointMount> Mounts(CheckpointImages images)
        => images.Mounts().Select(m => new CheckpointMount((int)m.MntId, (int)m.ParentMntId, m.Mountpoint, CriuNames.FsType(m),
            m.Source, m.Root, m.Options)).ToList();

    private static CriuStatistics? Stats(CheckpointImages images)
    {
        var d = images.Stats("stats-dump")?.Dump;
        var r = images.Stats("stats-restore")?.Restore;
        if (d is null && r is null)
            return null;
        return new CriuStatistics(
            d is null ? null : new DumpStatistics(d.FreezingTime, d.FrozenTime, d.MemdumpTime, d.MemwriteTime,
                d.PagesScanned, d.PagesSkippedParent, d.PagesWritten, d.PagesLazy),
            r is null ? null : new RestoreStatistics(r.RestoreTime, r.ForkingTime, r.PagesRestored, r.PagesCompared, r.PagesSkippedCow));
    }
}
