using Shouldly;
using Stasis.Archives;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Xunit;

namespace Stasis.IntegrationTests.Archives;

/// <summary>checkpoint --export / restore --import on one host: the container comes back with its state.</summary>
public sealed class ExportImportTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    // A counter that also changed a file, a named volume and /dev/shm before counting.
    private static readonly string[] Writer =
    [
        "sh", "-c", "echo new > /new.txt; echo v1 >> /data/log; echo shm1 > /dev/shm/s; i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done",
    ];

    private static async Task<string> ShAsync(TestRoot t, string container, string script) =>
        (await t.Engine.ExecAsync(container, new ExecOptions { Command = ["sh", "-c", script], CaptureOutput = true }, Ct)).StandardOutput!.Trim();

    [Fact]
    public async Task Export_rm_import_resumes_the_counter_and_keeps_files_volume_and_shm()
    {
        await using var t = await TestRoot.CreateAsync();
        var archive = Path.Combine(t.Dir, "w.tar.zst");
        await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "w", Command = Writer, Volumes = ["wvol:/data"] }, Ct);
        await t.WaitForNumbersAsync("w", 5);

        var exported = await t.Engine.CheckpointAndExportAsync("w", new CheckpointOptions { Name = "cp" }, archive, null, Ct);
        var last = (await t.NumbersAsync("w")).Last();
        exported.ArchiveBytes.ShouldBe(new FileInfo(archive).Length);
        Interop.LibcStat.TryLstat(archive, out var st).ShouldBeTrue();
        ((int)st.Permissions & 0x1FF).ShouldBe(0x180); // 0600: the archive holds every memory page
        File.Exists(archive + ".partial").ShouldBeFalse();
        await t.Engine.RemoveAsync("w", force: true, Ct);

        var imported = await t.Engine.ImportCheckpointAsync(archive, null, Ct);
        imported.Container.Name.ShouldBe("w");
        imported.Compression.ShouldBe(CompressionKind.Zstd);
        imported.Warnings.ShouldBeEmpty();
        var numbers = await t.WaitForNumbersAsync("w", 3);
        numbers[0].ShouldBe(last + 1); // the new log starts where the old one stopped
        (await ShAsync(t, "w", "cat /new.txt")).ShouldBe("new");
        (await ShAsync(t, "w", "cat /data/log")).ShouldBe("v1");
        (await ShAsync(t, "w", "cat /dev/shm/s")).ShouldBe("shm1");
        Directory.EnumerateFileSystemEntries(Path.Combine(t.Dir, "tmp")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(CompressionKind.Zstd)]
    [InlineData(CompressionKind.None)]
    public async Task Pages_packed_during_the_dump_come_back_with_the_same_memory(CompressionKind kind)
    {
        await using var t = await TestRoot.CreateAsync();
        var archive = Path.Combine(t.Dir, "m.tar");
        // A few MiB held only in the shell's memory, checked by its digest before and after.
        await t.Engine.RunAsync(new CreateOptions
        {
            Image = "busybox", Name = "m",
            Command = ["sh", "-c", "s=$(head -c 1500000 /dev/urandom | od -An -tx1); trap 'echo \"$s\" | md5sum > /sum-again' USR1; " +
                                   "echo \"$s\" | md5sum > /sum; i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done"],
        }, Ct);
        await t.WaitForNumbersAsync("m", 3);
        var before = await ShAsync(t, "m", "cat /sum");

        await t.Engine.CheckpointAndExportAsync("m", new CheckpointOptions { Name = "cp" }, archive, new ExportOptions { Compression = kind }, Ct);
        await t.Engine.RemoveAsync("m", force: true, Ct);
        await using (var input = File.OpenRead(archive))
        {
            // Streamed during the dump, the page images lead the archive.
            var plain = await Compression.OpenDecompressingAsync(input, Ct);
            await using var reader = new System.Formats.Tar.TarReader(plain.Stream);
            (await reader.GetNextEntryAsync(cancellationToken: Ct))!.Name.ShouldStartWith("checkpoint/pages-");
        }

        await t.Engine.ImportCheckpointAsync(archive, null, Ct);
        await t.WaitForNumbersAsync("m", 2);
        // The restored shell hashes the variable it holds in memory again: the same bytes came back.
        (await ShAsync(t, "m", "kill -USR1 1; for _ in $(seq 50); do [ -s /sum-again ] && break; sleep 0.1; done; cat /sum-again")).ShouldBe(before);
    }

    [Fact]
    public async Task Export_of_a_named_checkpoint_imports_under_a_new_name_with_gzip_and_without_compression()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("c", TestRoot.Counter());
        await t.WaitForNumbersAsync("c", 3);
        await t.Engine.CheckpointAsync("c", new CheckpointOptions { Name = "cp", LeaveRunning = true }, Ct);
        foreach (var (kind, name) in new[] { (CompressionKind.Gzip, "g"), (CompressionKind.None, "n") })
        {
            var file = Path.Combine(t.Dir, name + ".archive"); // the name says nothing: compression is detected
            await t.Engine.ExportCheckpointAsync("c", "cp", file, new ExportOptions { Compression = kind }, Ct);
            var r = await t.Engine.ImportCheckpointAsync(file, new ImportOptions { Name = name }, Ct);
            r.Compression.ShouldBe(kind);
            await t.WaitForNumbersAsync(name, 2);
        }
        // Without --name, a taken name is refused with the way out.
        var again = Path.Combine(t.Dir, "again.tar.zst");
        await t.Engine.ExportCheckpointAsync("c", "cp", again, null, Ct);
        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.ImportCheckpointAsync(again, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.Conflict);
        e.Message.ShouldContain("--name");
    }

    [Fact]
    public async Task Checkpoint_export_to_stdout_piped_into_restore_import_from_stdin_runs_on()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("p", TestRoot.Counter());
        await t.WaitForNumbersAsync("p", 3);
        var r = await CliProcess.ShellAsync(t.Dir, "STASIS checkpoint p --export - | STASIS restore --import - --name p2", Ct);
        r.Exit.ShouldBe(0, r.Err);
        r.Out.Trim().Length.ShouldBe(64); // only the new container's id
        var numbers = await t.WaitForNumbersAsync("p2", 3);
        numbers[0].ShouldBeGreaterThan(1);
        (await t.Engine.InspectAsync("p", Ct)).State.ShouldBe(ContainerState.Checkpointed);
        Directory.EnumerateFiles(t.Dir, "*.partial", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_disk_that_fills_while_the_pages_are_packed_during_the_dump_leaves_no_file_and_the_container_keeps_running()
    {
        await using var t = await TestRoot.CreateAsync();
        var small = Path.Combine(t.Dir, "small");
        Directory.CreateDirectory(small);
        Interop.LibcMount.Mount("tmpfs", small, "tmpfs", 0, "size=1m").ShouldBe(0);
        try
        {
            // About 4.5 MiB of hex text held in the shell's memory: its page images alone overflow 1 MiB.
            await t.RunAsync("mem", "sh", "-c", "s=$(head -c 1500000 /dev/urandom | od -An -tx1); i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done");
            await t.WaitForNumbersAsync("mem", 3);
            var e = await Should.ThrowAsync<StasisException>(() =>
                t.Engine.CheckpointAndExportAsync("mem", new CheckpointOptions { Name = "cp" }, Path.Combine(small, "mem.tar.zst"), null, Ct));
            e.Code.ShouldBe(StasisErrorCode.NoSpace);
            e.Message.ShouldContain("keeps running");
            Directory.EnumerateFileSystemEntries(small).ShouldBeEmpty();
            (await t.Engine.InspectAsync("mem", Ct)).State.ShouldBe(ContainerState.Running);
            var before = (await t.NumbersAsync("mem")).Count;
            await t.WaitForNumbersAsync("mem", before + 2);
        }
        finally
        {
            Interop.LibcMount.Umount2(small, Interop.LibcMount.MNT_DETACH);
        }
    }

    [Fact]
    public async Task A_full_disk_during_export_leaves_no_file_and_the_container_keeps_running()
    {
        await using var t = await TestRoot.CreateAsync();
        var small = Path.Combine(t.Dir, "small");
        Directory.CreateDirectory(small);
        Interop.LibcMount.Mount("tmpfs", small, "tmpfs", 0, "size=1m").ShouldBe(0);
        try
        {
            // 4 MiB of random bytes in /dev/shm: the archive cannot fit in 1 MiB, compressed or not.
            await t.RunAsync("big", "sh", "-c", "head -c 4194304 /dev/urandom > /dev/shm/r; i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done");
            await t.WaitForNumbersAsync("big", 3);
            var file = Path.Combine(small, "big.tar.zst");
            var e = await Should.ThrowAsync<StasisException>(() =>
                t.Engine.CheckpointAndExportAsync("big", new CheckpointOptions { Name = "cp" }, file, null, Ct));
            e.Code.ShouldBe(StasisErrorCode.NoSpace);
            e.Message.ShouldContain("no space left");
            e.Message.ShouldContain("keeps running");
            Directory.EnumerateFileSystemEntries(small).ShouldBeEmpty();
            (await t.Engine.InspectAsync("big", Ct)).State.ShouldBe(ContainerState.Running);
            var before = (await t.NumbersAsync("big")).Count;
            await t.WaitForNumbersAsync("big", before + 2);
            t.Engine.ListCheckpoints("big").Select(c => c.Name).ShouldBe(["cp"]);
        }
        finally
        {
            Interop.LibcMount.Umount2(small, Interop.LibcMount.MNT_DETACH);
        }
    }
}
