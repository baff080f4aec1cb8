using Shouldly;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Xunit;

namespace Stasis.IntegrationTests.Filesystem;

/// <summary>A container's files, volumes and /dev/shm are part of its checkpoints.</summary>
public sealed class FilesystemStateTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    // Writes a new file, deletes an image file, appends to a named volume and to /dev/shm, then keeps a file
    // descriptor open and writes a numbered line through it every 100 ms.
    private static readonly string[] Writer =
    [
        "sh", "-c",
        "echo new > /new.txt; rm /etc/group; echo v1 >> /data/log; echo shm1 >> /dev/shm/s; exec 3>>/tmp/open.txt; " +
        "i=0; while true; do i=$((i+1)); echo \"line $i\" >&3; echo $i; sleep 0.1; done",
    ];

    private static async Task<string> ShAsync(TestRoot t, string container, string script)
    {
        var r = await t.Engine.ExecAsync(container, new ExecOptions { Command = ["sh", "-c", script], CaptureOutput = true }, Ct);
        return r.StandardOutput!.Trim();
    }

    [Fact]
    public async Task Files_volume_and_shm_changes_and_an_open_descriptor_survive_a_restore_as_a_new_container()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "w", Command = Writer, Volumes = ["wvol:/data"] }, Ct);
        await t.WaitForNumbersAsync("w", 5);
        var cp = await t.Engine.CheckpointAsync("w", new CheckpointOptions { Name = "fs" }, Ct);
        cp.Checkpoint.Volumes.ShouldBe(["wvol"]);
        cp.Checkpoint.DevShm.ShouldBeTrue();
        cp.Checkpoint.DeletedFiles.ShouldBe(1);
        var linesAtCheckpoint = (await t.NumbersAsync("w")).Count;

        await t.Engine.RestoreAsync("w", new RestoreOptions { Checkpoint = "fs", Name = "w2" }, Ct);
        await t.WaitForNumbersAsync("w2", 3);
        (await ShAsync(t, "w2", "cat /new.txt")).ShouldBe("new");
        (await ShAsync(t, "w2", "test -e /etc/group && echo present || echo absent")).ShouldBe("absent");
        (await ShAsync(t, "w2", "cat /data/log")).ShouldBe("v1");
        (await ShAsync(t, "w2", "cat /dev/shm/s")).ShouldBe("shm1");
        // The descriptor opened before the checkpoint still appends, continuing the numbering.
        var lines = (await ShAsync(t, "w2", "cat /tmp/open.txt")).Split('\n');
        lines.Length.ShouldBeGreaterThan(linesAtCheckpoint);
        lines.Select(l => long.Parse(l["line ".Length..])).ShouldBe(Enumerable.Range(1, lines.Length).Select(i => (long)i));
        (await ShAsync(t, "w2", "readlink /proc/1/fd/3")).ShouldBe("/tmp/open.txt");
    }

    [Fact]
    public async Task A_removed_named_volume_is_recreated_from_the_checkpoint_on_restore()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "v", Command = Writer, Volumes = ["gone:/data"] }, Ct);
        await t.WaitForNumbersAsync("v", 3);
        await t.Engine.CheckpointAsync("v", new CheckpointOptions { Name = "cp" }, Ct);
        var dataDir = t.Engine.InspectVolume("gone").Mountpoint;
        Directory.Delete(Path.GetDirectoryName(dataDir)!, recursive: true); // the volume disappears behind Stasis's back

        await t.Engine.RestoreAsync("v", null, Ct);
        (await ShAsync(t, "v", "cat /data/log")).ShouldBe("v1");
        File.ReadAllText(Path.Combine(dataDir, "log")).ShouldBe("v1\n");
    }

    [Fact]
    public async Task Bind_mounts_are_seen_inside_and_read_only_ones_refuse_writes_also_after_restore()
    {
        await using var t = await TestRoot.CreateAsync();
        var host = Directory.CreateTempSubdirectory("stasis-it-bind-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(host, "h.txt"), "from host", Ct);
            await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "b", Command = TestRoot.Counter(), Volumes = [$"{host}:/host:ro"] }, Ct);
            await t.WaitForNumbersAsync("b", 2);
            (await ShAsync(t, "b", "cat /host/h.txt")).ShouldBe("from host");
            (await ShAsync(t, "b", "touch /host/x 2>/dev/null && echo wrote || echo refused")).ShouldBe("refused");

            await t.Engine.CheckpointAsync("b", null, Ct);
            await t.Engine.RestoreAsync("b", null, Ct);
            (await ShAsync(t, "b", "cat /host/h.txt")).ShouldBe("from host");
            (await ShAsync(t, "b", "touch /host/x 2>/dev/null && echo wrote || echo refused")).ShouldBe("refused");
        }
        finally
        {
            await t.DisposeAsync();
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public async Task Diff_lists_added_changed_and_deleted_paths()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.RunAsync("d", "sh", "-c", "echo x > /added.txt; rm /etc/passwd; mkdir -p /root/sub; echo y > /root/sub/f; echo 1; sleep 1000");
        await t.WaitForLogAsync("d", l => l.Contains("1"));
        var diff = (await t.Engine.DiffAsync("d", Ct)).Select(c => $"{c.Kind} {c.Path}").ToList();
        diff.ShouldContain("A /added.txt");
        diff.ShouldContain("D /etc/passwd");
        diff.ShouldContain("C /etc");
        diff.ShouldContain("C /root");
        diff.ShouldContain("A /root/sub");
        diff.ShouldContain("A /root/sub/f");
        diff.ShouldNotContain(c => c.StartsWith("A /bin") || c.StartsWith("C /bin"), "untouched image files are not listed");
    }

    [Fact]
    public async Task Ignore_rootfs_and_ignore_volumes_leave_those_parts_out()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.RunAsync(new CreateOptions { Image = "busybox", Name = "i", Command = Writer, Volumes = ["ivol:/data"] }, Ct);
        await t.WaitForNumbersAsync("i", 2);
        var cp = await t.Engine.CheckpointAsync("i", new CheckpointOptions { Name = "lean", LeaveRunning = true, IgnoreRootfs = true, IgnoreVolumes = true }, Ct);
        cp.Checkpoint.IgnoreRootfs.ShouldBeTrue();
        cp.Checkpoint.Volumes.ShouldBeEmpty();
        File.Exists(Path.Combine(cp.Checkpoint.Path!, "rootfs-diff.tar")).ShouldBeFalse();
        Directory.Exists(Path.Combine(cp.Checkpoint.Path!, "volumes")).ShouldBeFalse();
    }
}
