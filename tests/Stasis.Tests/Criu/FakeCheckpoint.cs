using System.Text;
using Google.Protobuf;
using Stasis.Criu.Images;
using Stasis.Criu.Proto;

namespace Stasis.Tests.Criu;

/// <summary>A hand-built CRIU images folder in a temp folder (as &lt;root&gt;/checkpoint/), deleted on dispose.</summary>
internal sealed class FakeCheckpoint : IDisposable
{
    public const int PageSize = 4096;
    private readonly List<pstree_entry> _tree = [];
    private readonly List<file_entry> _files = [];

    /// <param name="root">The checkpoint folder to fill (created); a new temp folder when null.</param>
    public FakeCheckpoint(string? root = null)
    {
        Root = root is null ? Directory.CreateTempSubdirectory("stasis-criu-test-").FullName : Directory.CreateDirectory(root).FullName;
        Images = System.IO.Path.Combine(Root, "checkpoint");
        Directory.CreateDirectory(Images);
        ImageWriter.Write(Path("inventory.img"), CriuMagic.Inventory, new inventory_entry { ImgVersion = 2, FdinfoPerId = true });
    }

    public string Root { get; }
    public string Images { get; }

    public string Path(string name) => System.IO.Path.Combine(Images, name);

    public CheckpointImages Open() => CheckpointImages.Open(Images, PageSize);

    /// <summary>A process: pstree entry, core (comm, state, files id = pid).</summary>
    public FakeCheckpoint Process(int pid, int ppid, string comm, uint state = 1, params int[] threads)
    {
        var e = new pstree_entry { Pid = (uint)pid, Ppid = (uint)ppid, Pgid = (uint)(ppid == 0 ? pid : ppid), Sid = (uint)(ppid == 0 ? pid : ppid) };
        e.Threads.AddRange((threads.Length == 0 ? [pid] : threads).Select(t => (uint)t));
        _tree.Add(e);
        ImageWriter.Write(Path("pstree.img"), CriuMagic.Pstree, [.. _tree]);
        var core = new core_entry
        {
            Mtype = core_entry.Types.march.X8664,
            Tc = new task_core_entry { TaskState = state, Comm = comm },
            Ids = new task_kobj_ids_entry { VmId = (uint)pid, FilesId = (uint)pid, FsId = (uint)pid, SighandId = (uint)pid },
        };
        ImageWriter.Write(Path($"core-{pid}.img"), CriuMagic.Core, core);
        return this;
    }

    /// <summary>A run of pages; only present runs (not in parent) get their data written to pages-N.img.</summary>
    public sealed record Run(ulong Address, int Pages, PagemapFlags Flags = PagemapFlags.Present, byte[]? Data = null);

    /// <summary>mm-N.img with the given mappings and argv/environ addresses, pagemap-N.img and pages-N.img.</summary>
    public FakeCheckpoint Memory(int pid, uint pagesId, vma_entry[] vmas, Run[] runs, (ulong Start, ulong End) args = default, (ulong Start, ulong End) env = default, ulong startStack = 0)
    {
        var mm = new mm_entry { MmArgStart = args.Start, MmArgEnd = args.End, MmEnvStart = env.Start, MmEnvEnd = env.End, MmStartStack = startStack };
        mm.Vmas.AddRange(vmas);
        ImageWriter.Write(Path($"mm-{pid}.img"), CriuMagic.Mm, mm);
        ImageWriter.WritePagemap(Path($"pagemap-{pid}.img"), pagesId, [.. runs.Select(r => ImageWriter.PagemapEntry(r.Address, (ulong)r.Pages, r.Flags))]);
        using var pages = System.IO.File.Create(Path($"pages-{pagesId}.img"));
        foreach (var r in runs.Where(r => (r.Flags & PagemapFlags.Present) != 0 && (r.Flags & PagemapFlags.Parent) == 0))
        {
            var data = new byte[r.Pages * PageSize];
            r.Data?.CopyTo(data, 0);
            pages.Write(data);
        }
        return this;
    }

    public static vma_entry Vma(ulong start, ulong end, uint status = (1 << 0) | (1 << 9), uint prot = 3, uint flags = 2, ulong shmid = 0, ulong pgoff = 0)
        => new() { Start = start, End = end, Status = status, Prot = prot, Flags = flags, Shmid = shmid, Pgoff = pgoff, Fd = -1 };

    /// <summary>Puts NUL-terminated strings into a page buffer at an offset; returns the [start, end) addresses.</summary>
    public static (ulong Start, ulong End) Strings(byte[] page, int offset, ulong pageAddress, params string[] strings)
    {
        var at = offset;
        foreach (var s in strings)
        {
            var b = Encoding.UTF8.GetBytes(s);
            b.CopyTo(page, at);
            at += b.Length + 1;
        }
        return (pageAddress + (ulong)offset, pageAddress + (ulong)at);
    }

    /// <summary>A file object in files.img.</summary>
    public FakeCheckpoint File(file_entry file)
    {
        _files.Add(file);
        ImageWriter.Write(Path("files.img"), CriuMagic.Files, [.. _files]);
        return this;
    }

    public static file_entry Reg(uint id, string name, ulong pos, uint flags = 0)
        => new() { Type = fd_types.Reg, Id = id, Reg = new reg_file_entry { Id = id, Name = name, Pos = pos, Flags = flags, Fown = new fown_entry() } };

    public static file_entry Tcp(uint id, string local, int localPort, string remote, int remotePort, uint state, uint ino = 100)
    {
        var sk = new inet_sk_entry
        {
            Id = id, Ino = ino, Family = 2, Type = 1, Proto = 6, State = state, SrcPort = (uint)localPort, DstPort = (uint)remotePort,
            Fown = new fown_entry(), Opts = new sk_opts_entry(), Flags = 2,
        };
        sk.SrcAddr.Add(V4(local));
        sk.DstAddr.Add(V4(remote));
        return new file_entry { Type = fd_types.Inetsk, Id = id, Isk = sk };
    }

    public static file_entry Unix(uint id, string name, uint state, uint ino = 200)
        => new()
        {
            Type = fd_types.Unixsk, Id = id,
            Usk = new unix_sk_entry { Id = id, Ino = ino, Type = 1, State = state, Name = ByteString.CopyFromUtf8(name), Fown = new fown_entry(), Opts = new sk_opts_entry() },
        };

    public static file_entry Pipe(uint id, uint pipeId, uint flags)
        => new() { Type = fd_types.Pipe, Id = id, Pipe = new pipe_entry { Id = id, PipeId = pipeId, Flags = flags, Fown = new fown_entry() } };

    /// <summary>fdinfo-&lt;pid&gt;.img (files id = pid) mapping fds to file ids.</summary>
    public FakeCheckpoint Fds(int pid, params (int Fd, uint Id, fd_types Type)[] fds)
    {
        ImageWriter.Write(Path($"fdinfo-{pid}.img"), CriuMagic.Fdinfo,
            [.. fds.Select(f => new fdinfo_entry { Fd = (uint)f.Fd, Id = f.Id, Type = f.Type })]);
        return this;
    }

    public FakeCheckpoint Cwd(int pid, uint fileId)
    {
        ImageWriter.Write(Path($"fs-{pid}.img"), CriuMagic.Fs, new fs_entry { CwdId = fileId, RootId = fileId });
        return this;
    }

    /// <summary>CRIU keeps an IPv4 address as one u32 word holding the network-order bytes.</summary>
    private static uint V4(string address)
        => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(System.Net.IPAddress.Parse(address).GetAddressBytes());

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
