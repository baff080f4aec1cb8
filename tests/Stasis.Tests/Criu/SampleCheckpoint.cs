using Stasis.Criu.Images;
using Stasis.Criu.Proto;

namespace Stasis.Tests.Criu;

/// <summary>A two-process checkpoint with every kind of thing the inspector reports, built by hand.</summary>
internal static class SampleCheckpoint
{
    public const ulong Heap = 0x600000;
    public const ulong Stack = 0x7ff000000000;
    public const ulong Shared = 0x700000;
    public const string Secret = "the-SECRET-in-the-heap";
    public const int SecretOffset = 100;

    /// <summary>pid 1 "app" (threads 1, 5) with argv, environ, files, sockets, heap/stack/shared memory;
    /// pid 2 "worker". <paramref name="variant"/> 1 changes things for diff tests.</summary>
    public static FakeCheckpoint Create(int variant = 0, string? root = null)
    {
        var fc = new FakeCheckpoint(root);
        fc.Process(1, 0, "app", 1, 1, 5);
        fc.Process(variant == 0 ? 2 : 3, 1, variant == 0 ? "worker" : "helper");

        var heap = new byte[2 * FakeCheckpoint.PageSize];
        System.Text.Encoding.ASCII.GetBytes(Secret).CopyTo(heap, SecretOffset);
        var stack = new byte[FakeCheckpoint.PageSize];
        var args = FakeCheckpoint.Strings(stack, 0x100, Stack + 0x1000, "/bin/app", "--serve", "port=8080");
        var env = FakeCheckpoint.Strings(stack, 0x200, Stack + 0x1000, "HOME=/root", "MODE=prod");
        var heapPages = variant == 0 ? 2 : 4;
        fc.Memory(1, 1,
            [
                FakeCheckpoint.Vma(0x400000, 0x402000, status: (1 << 0) | (1 << 6), prot: 5, shmid: 10),
                FakeCheckpoint.Vma(Heap, Heap + 0x6000, status: (1 << 0) | (1 << 5) | (1 << 9)),
                FakeCheckpoint.Vma(Shared, Shared + 0x4000, status: (1 << 0) | (1 << 8), flags: 1, shmid: 42),
                // Like CRIU 4, the main stack carries no stack bit: it is found through mm_start_stack.
                FakeCheckpoint.Vma(Stack, Stack + 0x2000, status: (1 << 0) | (1 << 9)),
            ],
            [
                new(Heap, heapPages, PagemapFlags.Present | PagemapFlags.Lazy, heap),
                new(Heap + 0x4000, 1, PagemapFlags.Parent),
                new(Heap + 0x5000, 1, PagemapFlags.Lazy),
                new(Stack + 0x1000, 1, PagemapFlags.Present, stack),
            ],
            args, env, startStack: Stack + 0x1800);
        ImageWriter.WritePagemap(fc.Path("pagemap-shmem-42.img"), 9,
            ImageWriter.PagemapEntry(0, 1, PagemapFlags.Present), ImageWriter.PagemapEntry(0x2000, 2, PagemapFlags.Present));
        fc.Memory(variant == 0 ? 2 : 3, 2, [FakeCheckpoint.Vma(0x500000, 0x501000)], [new(0x500000, 1)]);

        fc.File(FakeCheckpoint.Reg(1, "/dev/null", 0, flags: 0x8002))
          .File(FakeCheckpoint.Reg(2, "/var/log/app.log", 1234, flags: 0x8401))
          .File(FakeCheckpoint.Tcp(3, "127.0.0.1", 8080, "0.0.0.0", 0, state: 10, ino: 300))
          .File(FakeCheckpoint.Tcp(4, "127.0.0.1", 8080, "127.0.0.1", 40000, state: 1, ino: 301))
          .File(FakeCheckpoint.Unix(5, "/run/app.sock", state: 10))
          .File(FakeCheckpoint.Pipe(6, 777, flags: 1))
          .File(FakeCheckpoint.Reg(7, "/srv", 0))
          .File(FakeCheckpoint.Reg(10, "/bin/app", 0))
          .File(FakeCheckpoint.Reg(11, "/tmp/new.txt", 5));
        (int, uint, fd_types)[] fds = variant == 0
            ? [(0, 1, fd_types.Reg), (3, 2, fd_types.Reg), (4, 3, fd_types.Inetsk), (5, 4, fd_types.Inetsk), (6, 5, fd_types.Unixsk), (7, 6, fd_types.Pipe)]
            : [(0, 1, fd_types.Reg), (3, 2, fd_types.Reg), (4, 3, fd_types.Inetsk), (6, 5, fd_types.Unixsk), (7, 6, fd_types.Pipe), (8, 11, fd_types.Reg)];
        fc.Fds(1, fds).Cwd(1, 7).Fds(variant == 0 ? 2 : 3, (0, 1, fd_types.Reg));

        ImageWriter.Write(fc.Path("mountpoints-6.img"), CriuMagic.Mnts,
            new mnt_entry { MntId = 100, ParentMntId = 1, Mountpoint = "/", Fstype = 17, Source = "overlay", Root = "/", Options = "lowerdir=/l" },
            new mnt_entry { MntId = 101, ParentMntId = 100, Mountpoint = "/proc", Fstype = 1, Source = "proc", Root = "/", Options = "" });
        ImageWriter.Write(fc.Path("stats-dump"), CriuMagic.Stats, new stats_entry
        {
            Dump = new dump_stats_entry { FreezingTime = 240, FrozenTime = 135161, MemdumpTime = 14560, MemwriteTime = 4062, PagesScanned = 2314, PagesWritten = 2179 },
        });
        // Podman keeps stats-restore beside checkpoint/, not inside it.
        ImageWriter.Write(Path.Combine(fc.Root, "stats-restore"), CriuMagic.Stats, new stats_entry
        {
            Restore = new restore_stats_entry { RestoreTime = 9000, ForkingTime = 120, PagesRestored = 2179 },
        });
        return fc;
    }
}
