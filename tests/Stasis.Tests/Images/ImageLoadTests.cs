using System.Formats.Tar;
using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Archives;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Images;

public sealed class ImageLoadTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Engine _engine;

    public ImageLoadTests() => _engine = new Engine(new EngineOptions { Root = _dir.Combine("root") });

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Layer(params TarEntry[] entries) => TarBuilder.Build(entries);

    private static readonly byte[] Base = Layer(TarBuilder.Dir("etc/"), TarBuilder.File("etc/os-release", "base"), TarBuilder.File("bin/tool", "#!"));
    private static readonly byte[] Top = Layer(TarBuilder.File("app/main", "app"), TarBuilder.Symlink("app/link", "main"));

    private static TestImage App(params string[] names) => new()
    {
        Layers = [Base, Top],
        Names = names,
        Config = new JsonObject
        {
            ["Entrypoint"] = new JsonArray("/app/main"),
            ["Cmd"] = new JsonArray("--serve"),
            ["Env"] = new JsonArray("PATH=/bin", "MODE=test"),
            ["WorkingDir"] = "/app",
            ["User"] = "1000:1000",
            ["ExposedPorts"] = new JsonObject { ["8080/tcp"] = new JsonObject() },
        },
    };

    private Task<IReadOnlyList<Stasis.Images.ImageInfo>> LoadAsync(byte[] archive, string? defaultRepository = null) =>
        _engine.LoadImageAsync(new MemoryStream(archive), "test", defaultRepository, Ct);

    private string StorePath(params string[] parts) => _dir.Combine(["root", .. parts]);

    private void ShouldHaveNothingStored()
    {
        foreach (var folder in new[] { "images", "layers", "tmp" })
        {
            var path = StorePath(folder);
            if (Directory.Exists(path)) Directory.EnumerateFileSystemEntries(path).ShouldBeEmpty($"{folder}/ should be empty");
        }
    }

    [Fact]
    public async Task An_OCI_archive_loads_with_its_config_names_and_layers()
    {
        var archive = ImageArchives.Oci([App("example.com/team/app:1.0")]);

        var images = await LoadAsync(archive);

        var image = images.ShouldHaveSingleItem();
        image.Names.ShouldBe(["example.com/team/app:1.0"]);
        image.Id.ShouldBe(ImageArchives.Sha(ImageArchives.ConfigJson(App())));
        image.Layers.ShouldBe([ImageArchives.Sha(Base), ImageArchives.Sha(Top)]);
        image.Created.ShouldBe(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));
        image.Config.Entrypoint.ShouldBe(["/app/main"]);
        image.Config.Cmd.ShouldBe(["--serve"]);
        image.Config.Env.ShouldBe(["PATH=/bin", "MODE=test"]);
        image.Config.WorkingDir.ShouldBe("/app");
        image.Config.User.ShouldBe("1000:1000");
        image.Config.ExposedPorts.ShouldBe(["8080/tcp"]);
        _engine.InspectImage("example.com/team/app:1.0").Id.ShouldBe(image.Id);
        _engine.InspectImage("team/app:1.0").Id.ShouldBe(image.Id);
        File.ReadAllText(StorePath("layers", ImageArchives.Sha(Top), "diff", "app", "main")).ShouldBe("app");
        new FileInfo(StorePath("layers", ImageArchives.Sha(Top), "diff", "app", "link")).LinkTarget.ShouldBe("main");
        File.ReadAllBytes(StorePath("images", image.Id, "config.json")).ShouldBe(ImageArchives.ConfigJson(App()));
        Directory.EnumerateFileSystemEntries(StorePath("tmp")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Gzip_layers_load_and_are_checked_by_blob_digest_and_diff_id()
    {
        var images = await LoadAsync(ImageArchives.Oci([App("app:gz") with { GzipLayers = true }]));

        images.ShouldHaveSingleItem().Layers.ShouldBe([ImageArchives.Sha(Base), ImageArchives.Sha(Top)]);
    }

    [Theory]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task A_compressed_archive_is_detected(CompressionKind kind)
    {
        var plain = ImageArchives.Oci([App("app:z")]);
        var compressed = new MemoryStream();
        await using (var c = Compression.OpenCompressing(compressed, kind, leaveOpen: true)) await c.WriteAsync(plain, Ct);

        var images = await LoadAsync(compressed.ToArray());

        images.ShouldHaveSingleItem().Names.ShouldBe(["app:z"]);
    }

    [Fact]
    public async Task A_ref_name_that_is_only_a_tag_is_named_after_the_archive_or_left_unnamed()
    {
        (await LoadAsync(ImageArchives.Oci([App("v2")]), "mylayout")).ShouldHaveSingleItem().Names.ShouldBe(["mylayout:v2"]);
        (await LoadAsync(ImageArchives.Oci([App("v3") with { Created = "2024-01-01T00:00:00Z" }]))).ShouldHaveSingleItem().Names.ShouldBeEmpty();
        Engine.DefaultRepository("/tmp/My Layout.oci.tar.gz").ShouldBe("my-layout");
    }

    [Fact]
    public async Task The_containerd_name_annotation_wins_over_a_bare_tag()
    {
        var archive = ImageArchives.Oci([App("latest")], annotations: _ => new JsonObject
        {
            ["org.opencontainers.image.ref.name"] = "latest",
            ["io.containerd.image.name"] = "docker.io/library/app:latest",
        });

        (await LoadAsync(archive)).ShouldHaveSingleItem().Names.ShouldBe(["docker.io/library/app:latest"]);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_docker_archive_loads_with_every_tag(bool legacyFolders, bool gzip)
    {
        var archive = ImageArchives.Docker([App("docker.io/library/app:1", "app:stable") with { GzipLayers = gzip }], legacyFolders);

        var image = (await LoadAsync(archive)).ShouldHaveSingleItem();

        image.Names.ShouldBe(["docker.io/library/app:1", "app:stable"]);
        image.Config.Entrypoint.ShouldBe(["/app/main"]);
        image.Layers.ShouldBe([ImageArchives.Sha(Base), ImageArchives.Sha(Top)]);
    }

    [Fact]
    public async Task A_layer_shared_by_two_images_is_stored_once()
    {
        var other = new TestImage { Layers = [Base, Layer(TarBuilder.File("other", "x"))], Names = ["other:1"] };

        var images = await LoadAsync(ImageArchives.Oci([App("app:1"), other]));
        await LoadAsync(ImageArchives.Docker([new TestImage { Layers = [Base], Names = ["base:1"] }]));

        images.Count.ShouldBe(2);
        _engine.ListImages().Count.ShouldBe(3);
        Directory.GetDirectories(StorePath("layers")).Length.ShouldBe(3);
    }

    [Fact]
    public async Task A_damaged_layer_blob_is_refused_by_digest_and_nothing_stays()
    {
        string? damaged = null;
        var archive = ImageArchives.Oci([App("app:1") with { GzipLayers = true }], tamper: members =>
        {
            damaged = members.Keys.First(k => k.StartsWith("blobs/") && members[k].Length > 20 && members[k][0] == 0x1f);
            members[damaged][members[damaged].Length / 2] ^= 0x40;
        });

        var e = await Should.ThrowAsync<StasisException>(() => LoadAsync(archive));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("sha256:" + damaged!["blobs/sha256/".Length..]);
        ShouldHaveNothingStored();
    }

    [Theory]
    [InlineData("config")]
    [InlineData("manifest")]
    public async Task A_damaged_metadata_blob_is_refused(string which)
    {
        var archive = ImageArchives.Oci([App("app:1")], tamper: members =>
        {
            var key = members.Keys.First(k => k.StartsWith("blobs/") && members[k][0] == '{' &&
                (which == "config" ? members[k].AsSpan().IndexOf("diff_ids"u8) >= 0 : members[k].AsSpan().IndexOf("schemaVersion"u8) >= 0));
            members[key] = [.. members[key][..^1], (byte)' ', (byte)'}'];
        });

        var e = await Should.ThrowAsync<StasisException>(() => LoadAsync(archive));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain(which);
        ShouldHaveNothingStored();
    }

    [Fact]
    public async Task A_layer_that_does_not_match_its_diff_id_is_refused_and_nothing_stays()
    {
        var wrong = "sha256:" + ImageArchives.Sha("something else"u8.ToArray());
        var image = App("app:1") with { DiffIds = ["sha256:" + ImageArchives.Sha(Base), wrong] };

        var oci = await Should.ThrowAsync<StasisException>(() => LoadAsync(ImageArchives.Oci([image])));
        var docker = await Should.ThrowAsync<StasisException>(() => LoadAsync(ImageArchives.Docker([image])));

        foreach (var e in new[] { oci, docker })
        {
            e.Code.ShouldBe(StasisErrorCode.BadArchive);
            e.Message.ShouldContain("rootfs.diff_ids says " + wrong);
        }
        ShouldHaveNothingStored();
    }

    [Fact]
    public async Task A_docker_config_that_does_not_match_its_name_is_refused()
    {
        var archive = ImageArchives.Docker([App("app:1")], tamper: members =>
        {
            var key = members.Keys.Single(k => k.EndsWith(".json") && k != "manifest.json");
            members[key] = [.. members[key], (byte)'\n'];
        });

        (await Should.ThrowAsync<StasisException>(() => LoadAsync(archive))).Message.ShouldContain("config blob");
        ShouldHaveNothingStored();
    }

    [Fact]
    public async Task A_missing_blob_a_wrong_size_and_a_layer_count_mismatch_are_refused()
    {
        var missing = ImageArchives.Oci([App("app:1")], tamper: m => m.Remove(m.Keys.First(k => k.EndsWith(ImageArchives.Sha(Top)))));
        var size = ImageArchives.Oci([App("app:1")], tamper: m =>
            m["index.json"] = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(m["index.json"]).Replace("\"size\":", "\"size\":1")));
        var count = ImageArchives.Oci([App("app:1") with { DiffIds = ["sha256:" + ImageArchives.Sha(Base)] }]);

        (await Should.ThrowAsync<StasisException>(() => LoadAsync(missing))).Message.ShouldContain("has no layer blob");
        (await Should.ThrowAsync<StasisException>(() => LoadAsync(size))).Message.ShouldContain("but its descriptor says");
        (await Should.ThrowAsync<StasisException>(() => LoadAsync(count))).Message.ShouldContain("lists 1 layer(s)");
        ShouldHaveNothingStored();
    }

    [Fact]
    public async Task Something_that_is_not_an_image_archive_is_refused_clearly()
    {
        var rootfs = TarBuilder.Build(TarBuilder.File("etc/passwd", "root:x:0:0::/:/bin/sh"));
        var legacy = TarBuilder.Build(TarBuilder.File("repositories", "{}"), TarBuilder.File("abc/layer.tar", ""));

        (await Should.ThrowAsync<StasisException>(() => LoadAsync(rootfs))).Message.ShouldContain("is not an image archive");
        (await Should.ThrowAsync<StasisException>(() => LoadAsync(legacy))).Message.ShouldContain("pre-2016");
        (await Should.ThrowAsync<StasisException>(() => LoadAsync("this is not a tar at all, only text that goes on"u8.ToArray())))
            .Code.ShouldBe(StasisErrorCode.BadArchive);
        ShouldHaveNothingStored();
    }

    [Fact]
    public async Task A_saved_image_loads_again_with_the_same_config_and_files()
    {
        await LoadAsync(ImageArchives.Oci([App("example.com/app:1")]));
        var saved = _dir.Combine("saved.tar");

        await _engine.SaveImageAsync(["example.com/app:1"], saved, CompressionKind.Gzip, Ct);

        using var other = new TempDir();
        var second = new Engine(new EngineOptions { Root = other.Combine("root") });
        var image = (await second.LoadImageAsync(saved, Ct)).ShouldHaveSingleItem();
        image.Names.ShouldBe(["example.com/app:1"]);
        var original = _engine.InspectImage("example.com/app:1").Config;
        image.Config.Entrypoint.ShouldBe(original.Entrypoint);
        image.Config.Cmd.ShouldBe(original.Cmd);
        image.Config.Env.ShouldBe(original.Env);
        image.Config.WorkingDir.ShouldBe(original.WorkingDir);
        image.Config.User.ShouldBe(original.User);
        image.Config.ExposedPorts.ShouldBe(original.ExposedPorts);
        image.Created.ShouldBe(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var top = other.Combine("root", "layers", image.Layers[1], "diff", "app");
        File.ReadAllText(Path.Combine(top, "main")).ShouldBe("app");
        new FileInfo(Path.Combine(top, "link")).LinkTarget.ShouldBe("main");

        // The archive is a proper OCI layout with gzip layers.
        await using var fs = File.OpenRead(saved);
        using var reader = new TarReader(fs);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name == "index.json")
                JsonNode.Parse(entry.DataStream!)!["manifests"]![0]!["annotations"]!["org.opencontainers.image.ref.name"]!.GetValue<string>().ShouldBe("example.com/app:1");
        }
        names.ShouldContain("oci-layout");
        Directory.EnumerateFileSystemEntries(_dir.Path).Where(p => p.EndsWith(".partial")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_imported_rootfs_image_is_saved_with_a_config_made_from_its_record()
    {
        await _engine.ImportImageAsync(new MemoryStream(Base), "flat", null, Ct);
        var saved = new MemoryStream();

        await _engine.SaveImageAsync(["flat"], saved, CompressionKind.None, Ct);

        using var other = new TempDir();
        var image = (await new Engine(new EngineOptions { Root = other.Combine("root") }).LoadImageAsync(new MemoryStream(saved.ToArray()), null, null, Ct))
            .ShouldHaveSingleItem();
        image.Names.ShouldBe(["flat:latest"]);
        image.Config.Env.ShouldBe(_engine.InspectImage("flat").Config.Env);
        image.Layers.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Saving_twice_gives_the_same_archive()
    {
        await LoadAsync(ImageArchives.Oci([App("app:1")]));
        var a = new MemoryStream();
        var b = new MemoryStream();

        await _engine.SaveImageAsync(["app:1"], a, CompressionKind.None, Ct);
        await _engine.SaveImageAsync(["app:1"], b, CompressionKind.None, Ct);

        a.ToArray().ShouldBe(b.ToArray());
        Directory.EnumerateFileSystemEntries(StorePath("tmp")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Removing_one_of_several_names_only_untags()
    {
        await LoadAsync(ImageArchives.Docker([App("app:1", "app:2")]));

        await _engine.RemoveImageAsync("app:1", Ct);
        _engine.InspectImage("app:2").Names.ShouldBe(["app:2"]);
        await _engine.RemoveImageAsync("app:2", Ct);

        _engine.ListImages().ShouldBeEmpty();
        Directory.EnumerateFileSystemEntries(StorePath("layers")).ShouldBeEmpty();
    }

    [Fact]
    public void Layer_sniffing_knows_tar_gzip_zstd_and_the_empty_tar()
    {
        Stasis.Images.ImageArchiveScanner.LooksLikeLayer(Base.AsSpan(0, 512)).ShouldBeTrue();
        Stasis.Images.ImageArchiveScanner.LooksLikeLayer(ImageArchives.Gzip(Base).AsSpan(0, 4)).ShouldBeTrue();
        Stasis.Images.ImageArchiveScanner.LooksLikeLayer(new byte[512]).ShouldBeTrue();
        Stasis.Images.ImageArchiveScanner.LooksLikeLayer("{\"schemaVersion\":2}"u8).ShouldBeFalse();
    }
}
