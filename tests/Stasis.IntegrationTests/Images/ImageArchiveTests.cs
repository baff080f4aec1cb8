using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Archives;
using Stasis.Containers;
using Stasis.IntegrationTests.Infrastructure;
using Stasis.Interop;
using Xunit;

namespace Stasis.IntegrationTests.Images;

/// <summary>Archives made by umoci, skopeo and podman load into Stasis and run with their config honoured;
/// whiteouts hide lower files; damaged archives change nothing; saved images travel back.</summary>
public sealed class ImageArchiveTests(UmociImages fixture) : IClassFixture<UmociImages>
{
    private static CancellationToken Ct => TestRoot.Ct;
    private static readonly byte[] Y = [(byte)'y'];
    private static readonly byte[] Yes = [(byte)'y', (byte)'e', (byte)'s'];

    private static async Task<List<string>> RunAsync(TestRoot t, string name, string image, string? user = null, params string[] command)
    {
        await t.Engine.RunAsync(new CreateOptions { Image = image, Name = name, User = user, Command = command }, Ct);
        return await t.WaitForLogAsync(name, l => l.Contains("END"));
    }

    private static string Layer(TestRoot t, string digest, params string[] path) => Path.Combine([t.Dir, "layers", digest, "diff", .. path]);

    /// <summary>What is in the store besides the busybox image every test root has.</summary>
    private static (int Images, int Layers, int Tmp) StoreCounts(TestRoot t) => (
        t.Engine.ListImages().Count,
        Directory.GetDirectories(Path.Combine(t.Dir, "layers")).Length,
        Directory.Exists(Path.Combine(t.Dir, "tmp")) ? Directory.EnumerateFileSystemEntries(Path.Combine(t.Dir, "tmp")).Count() : 0);

    [Fact]
    public async Task An_umoci_OCI_archive_loads_and_runs_with_entrypoint_env_workdir_and_user()
    {
        await using var t = await TestRoot.CreateAsync();

        var images = await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);

        images.SelectMany(i => i.Names).ShouldBe(["fixture:base", "fixture:v2"], ignoreOrder: true);
        var v2 = t.Engine.InspectImage("fixture:v2");
        v2.Layers.Count.ShouldBe(3);
        v2.Config.Entrypoint.ShouldBe(["/bin/sh", "-c"]);
        v2.Config.Env.ShouldContain("GREETING=hello");
        v2.Config.WorkingDir.ShouldBe("/opq");
        v2.Config.User.ShouldBe("app");
        (await RunAsync(t, "probe", "fixture:v2")).ShouldBe(UmociImages.ExpectedProbe);
    }

    [Fact]
    public async Task Layers_keep_whiteouts_opaque_folders_owners_modes_links_devices_and_xattrs()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);
        var layers = t.Engine.InspectImage("fixture:v2").Layers;

        var whiteout = LibcStat.Lstat(Layer(t, layers[1], "etc", "gone"));
        whiteout.FileType.ShouldBe(Statx.S_IFCHR);
        (whiteout.RdevMajor, whiteout.RdevMinor).ShouldBe((0u, 0u));
        LibcXattr.GetAll(Layer(t, layers[2], "opq")).ShouldContain(x => x.Key == "trusted.overlay.opaque" && x.Value.SequenceEqual(Y));
        File.Exists(Layer(t, layers[2], "opq", ".wh..wh..opq")).ShouldBeFalse();

        var owned = LibcStat.Lstat(Layer(t, layers[0], "data", "owned"));
        var hard = LibcStat.Lstat(Layer(t, layers[0], "data", "hard"));
        (owned.Uid, owned.Gid).ShouldBe((1000u, 1001u));
        Convert.ToString((int)owned.Permissions, 8).ShouldBe("4750");
        hard.Inode.ShouldBe(owned.Inode);
        LibcXattr.GetAll(Layer(t, layers[0], "data", "owned")).ShouldContain(x => x.Key == "user.stasis" && x.Value.SequenceEqual(Yes));
        var node = LibcStat.Lstat(Layer(t, layers[0], "devs", "mynull"));
        node.FileType.ShouldBe(Statx.S_IFCHR);
        (node.RdevMajor, node.RdevMinor).ShouldBe((1u, 3u));
        new FileInfo(Layer(t, layers[0], "bin", "sh")).LinkTarget.ShouldBe("busybox");

        // The base image alone still has what v2 hides.
        var base1 = await RunAsync(t, "base", "fixture:base", null, "/bin/sh", "-c", "cat /etc/gone; ls /opq; echo END");
        base1.ShouldBe(["gone", "old", "END"]);
    }

    [Fact]
    public async Task A_skopeo_docker_archive_loads_and_runs_the_same()
    {
        await using var t = await TestRoot.CreateAsync();

        var image = (await t.Engine.LoadImageAsync(fixture.DockerArchive, Ct)).ShouldHaveSingleItem();

        image.Names.ShouldBe(["docker.io/stasis-test/app:v2"]);
        (await RunAsync(t, "probe", "stasis-test/app:v2")).ShouldBe(UmociImages.ExpectedProbe);
    }

    [Fact]
    public async Task Layers_shared_by_images_and_archives_are_stored_once()
    {
        await using var t = await TestRoot.CreateAsync();
        var before = StoreCounts(t);

        await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);
        await t.Engine.LoadImageAsync(fixture.DockerArchive, Ct);
        await t.Engine.LoadImageAsync(fixture.SkopeoOciArchive, Ct);

        var after = StoreCounts(t);
        after.Layers.ShouldBe(before.Layers + 3, "base and v2 share layer 1; the three archives hold the same three layers");
        after.Images.ShouldBe(before.Images + 2, "the same config digest is one image with several names");
        t.Engine.InspectImage("fixture:v2").Names.ShouldBe(["fixture:v2", "docker.io/stasis-test/app:v2", "stasis-test/app:v2"]);
        after.Tmp.ShouldBe(0);
    }

    [Fact]
    public async Task A_damaged_blob_is_refused_naming_it_and_nothing_is_left()
    {
        await using var t = await TestRoot.CreateAsync();
        var damaged = Path.Combine(t.Dir, "damaged.tar");
        string? blob = null;
        await RewriteAsync(fixture.OciArchive, damaged, (name, data) =>
        {
            if (!name.Contains("blobs/sha256/") || data.Length < 100_000) return data;
            blob = name[(name.LastIndexOf('/') + 1)..];
            data[data.Length / 2] ^= 0x01;
            return data;
        });
        var before = StoreCounts(t);

        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.LoadImageAsync(damaged, Ct));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("sha256:" + blob);
        StoreCounts(t).ShouldBe(before);
    }

    [Fact]
    public async Task A_layer_that_does_not_match_the_configs_diff_id_is_refused_and_nothing_is_left()
    {
        await using var t = await TestRoot.CreateAsync();
        var tampered = Path.Combine(t.Dir, "tampered.tar");
        var wrong = "sha256:" + new string('e', 64);
        string? oldConfig = null, newConfig = null;
        // A consistent archive but for the diff id: the config is renamed after its new digest.
        await RewriteAsync(fixture.DockerArchive, tampered, (name, data) =>
        {
            if (!name.EndsWith(".json") || name is "manifest.json") return data;
            var config = JsonNode.Parse(data)!;
            config["rootfs"]!["diff_ids"]![2] = wrong;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(config);
            (oldConfig, newConfig) = (name, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) + ".json");
            return bytes;
        }, rename: name => name == oldConfig ? newConfig! : name, manifest: m => m.Replace(oldConfig!, newConfig!));
        var before = StoreCounts(t);

        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.LoadImageAsync(tampered, Ct));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("rootfs.diff_ids says " + wrong);
        StoreCounts(t).ShouldBe(before);
    }

    [Fact]
    public async Task Save_rm_load_round_trip_runs_again_and_skopeo_reads_the_archive()
    {
        ImageTools.Ensure("skopeo");
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);
        var saved = Path.Combine(t.Dir, "saved.tar");

        await t.Engine.SaveImageAsync(["fixture:v2"], saved, CompressionKind.Gzip, Ct);

        var inspect = JsonNode.Parse(await ImageTools.RunAsync("skopeo", "inspect", "oci-archive:" + saved))!;
        inspect["Layers"]!.AsArray().Count.ShouldBe(3);
        inspect["Env"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("GREETING=hello");
        await t.Engine.RemoveImageAsync("fixture:v2", Ct);
        Should.Throw<StasisException>(() => t.Engine.InspectImage("fixture:v2"));

        var loaded = (await t.Engine.LoadImageAsync(saved, Ct)).ShouldHaveSingleItem();

        loaded.Names.ShouldBe(["fixture:v2"]);
        (await RunAsync(t, "again", "fixture:v2")).ShouldBe(UmociImages.ExpectedProbe);
    }

    [Fact]
    public async Task The_user_can_be_overridden_by_number_or_name_and_an_unknown_one_is_refused()
    {
        await using var t = await TestRoot.CreateAsync();
        await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);

        (await RunAsync(t, "as-root", "fixture:v2", "0"))[0].ShouldBe("user=0:0 groups=0 pwd=/opq greeting=hello home=/root");
        (await RunAsync(t, "as-extra", "fixture:v2", "app:extra"))[0].ShouldBe("user=1000:2000 groups=2000 pwd=/opq greeting=hello home=/home/app");
        (await RunAsync(t, "as-number", "fixture:v2", "4321:4321"))[0].ShouldStartWith("user=4321:4321 groups=4321 ");

        var e = await Should.ThrowAsync<StasisException>(() => RunAsync(t, "ghost", "fixture:v2", "ghost"));
        e.Code.ShouldBe(StasisErrorCode.NotFound);
        e.Message.ShouldContain("ghost");
        (await t.Engine.ListAsync(all: true, Ct)).ShouldNotContain(c => c.Name == "ghost");
    }

    [Fact]
    public async Task Podman_archives_load_and_podman_loads_and_runs_what_stasis_saves()
    {
        ImageTools.Ensure("podman");
        await using var t = await TestRoot.CreateAsync();
        var dir = Path.Combine(Path.GetTempPath(), "stasis-it-podman-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await ImageTools.RunAsync("podman", ImageTools.Podman(dir, "import", "--change", "ENTRYPOINT [\"/bin/sh\", \"-c\"]",
                "--change", "ENV PODMAN=yes", BusyboxRootfs.Path, "localhost/stasis-podman:1"));
            var oci = Path.Combine(dir, "p-oci.tar");
            var docker = Path.Combine(dir, "p-docker.tar");
            await ImageTools.RunAsync("podman", ImageTools.Podman(dir, "save", "--format", "oci-archive", "-o", oci, "localhost/stasis-podman:1"));
            await ImageTools.RunAsync("podman", ImageTools.Podman(dir, "save", "--format", "docker-archive", "-o", docker, "localhost/stasis-podman:1"));

            (await t.Engine.LoadImageAsync(oci, Ct)).ShouldHaveSingleItem().Names.ShouldBe(["localhost/stasis-podman:1"]);
            (await RunAsync(t, "from-oci", "stasis-podman:1", null, "echo podman=$PODMAN; echo END")).ShouldBe(["podman=yes", "END"]);
            await t.Engine.RemoveAsync("from-oci", force: true, Ct);
            await t.Engine.RemoveImageAsync("localhost/stasis-podman:1", Ct);
            (await t.Engine.LoadImageAsync(docker, Ct)).ShouldHaveSingleItem().Names.ShouldBe(["localhost/stasis-podman:1"]);
            (await RunAsync(t, "from-docker", "stasis-podman:1", null, "echo podman=$PODMAN; echo END")).ShouldBe(["podman=yes", "END"]);

            await t.Engine.LoadImageAsync(fixture.OciArchive, Ct);
            var saved = Path.Combine(dir, "stasis.tar");
            await t.Engine.SaveImageAsync(["fixture:v2"], saved, CompressionKind.None, Ct);
            await ImageTools.RunAsync("podman", ImageTools.Podman(dir, "load", "-q", "-i", saved));
            var output = await ImageTools.RunAsync("podman", ImageTools.Podman(dir, "run", "--rm", "--runtime", "runc", "--network", "none",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096", "fixture:v2"));
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldContain("opq=new");
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldContain("gone=absent");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Copies a tar member by member, letting the caller change (and rename) regular files.</summary>
    private static async Task RewriteAsync(string input, string output, Func<string, byte[], byte[]> change,
        Func<string, string>? rename = null, Func<string, string>? manifest = null)
    {
        var members = new List<TarEntry>();
        var contents = new Dictionary<TarEntry, byte[]>();
        await using (var fs = File.OpenRead(input))
        await using (var reader = new TarReader(fs))
        {
            while (await reader.GetNextEntryAsync(copyData: true, Ct) is { } entry)
            {
                members.Add(entry);
                if (entry.DataStream is { } data)
                {
                    var ms = new MemoryStream();
                    await data.CopyToAsync(ms, Ct);
                    contents[entry] = change(entry.Name, ms.ToArray());
                }
            }
        }
        await using var outFs = File.Create(output);
        await using var writer = new TarWriter(outFs, TarEntryFormat.Pax);
        foreach (var entry in members)
        {
            var name = rename?.Invoke(entry.Name) ?? entry.Name;
            var copy = new PaxTarEntry(entry.EntryType, name) { Mode = entry.Mode, ModificationTime = entry.ModificationTime };
            if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink) copy.LinkName = entry.LinkName;
            if (contents.TryGetValue(entry, out var data))
            {
                if (name == "manifest.json" && manifest is not null) data = System.Text.Encoding.UTF8.GetBytes(manifest(System.Text.Encoding.UTF8.GetString(data)));
                copy.DataStream = new MemoryStream(data);
            }
            await writer.WriteEntryAsync(copy, Ct);
        }
    }
}
