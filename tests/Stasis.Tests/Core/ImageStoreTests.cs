using Shouldly;
using Stasis.Images;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Images are found by name (a missing tag means :latest), by id or by a unique id prefix.</summary>
public sealed class ImageStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly ImageStore _store;

    public ImageStoreTests() =>
        _store = new ImageStore(new StorePaths(_root.Path, Path.Combine(_root.Path, "run")), new UnusedLayerUnpacker());

    public void Dispose() => _root.Dispose();

    private ImageInfo Add(string id, params string[] names)
    {
        var image = new ImageInfo { Id = id, Names = names, Created = DateTimeOffset.UtcNow };
        _store.Save(image);
        return image;
    }

    [Theory]
    [InlineData("busybox", "busybox:latest")]
    [InlineData("busybox:1.36", "busybox:1.36")]
    [InlineData("library/busybox", "library/busybox:latest")]
    [InlineData("localhost:5000/busybox", "localhost:5000/busybox:latest")]
    [InlineData("localhost:5000/busybox:v2", "localhost:5000/busybox:v2")]
    public void Normalize_adds_latest_only_when_the_tag_is_missing(string name, string expected)
    {
        ImageStore.Normalize(name).ShouldBe(expected);
    }

    [Fact]
    public void Resolve_by_name_with_or_without_tag()
    {
        var bb = Add("aa11" + new string('0', 60), "busybox:latest");
        Add("bb22" + new string('0', 60), "alpine:3.20");

        _store.Resolve("busybox").Id.ShouldBe(bb.Id);
        _store.Resolve("busybox:latest").Id.ShouldBe(bb.Id);
        _store.Resolve("alpine:3.20").Names.ShouldBe(["alpine:3.20"]);
        _store.TryResolve("alpine").ShouldBeNull();
    }

    [Fact]
    public void Resolve_a_short_name_of_a_registry_image()
    {
        var img = Add("aa11" + new string('0', 60), "docker.io/library/busybox:latest");
        _store.Resolve("busybox").Id.ShouldBe(img.Id);
        _store.Resolve("library/busybox").Id.ShouldBe(img.Id);
    }

    [Fact]
    public void Resolve_by_id_prefix_and_sha256_form()
    {
        var a = Add("aa11" + new string('0', 60), "one");
        Add("aa22" + new string('0', 60), "two");

        _store.Resolve("aa1").Id.ShouldBe(a.Id);
        _store.Resolve("sha256:aa11").Id.ShouldBe(a.Id);
        _store.Resolve(a.Id).Id.ShouldBe(a.Id);
        _store.TryResolve("aa").ShouldBeNull();   // too short
        _store.TryResolve("aa2").ShouldNotBeNull();
    }

    [Fact]
    public void Ambiguous_id_prefix_resolves_to_nothing()
    {
        Add("aa11" + new string('0', 60), "one");
        Add("aa12" + new string('0', 60), "two");
        _store.TryResolve("aa1").ShouldBeNull();
    }

    [Fact]
    public void Unknown_image_error_names_it_and_says_how_to_get_it()
    {
        var e = Should.Throw<StasisException>(() => _store.Resolve("nginx"));
        e.Code.ShouldBe(StasisErrorCode.NotFound);
        e.Message.ShouldContain("no such image: nginx");
        e.Message.ShouldContain("image import");
    }

    [Fact]
    public void Commit_moves_a_name_from_the_image_that_had_it()
    {
        var old = Add("aa11" + new string('0', 60), "busybox:latest", "keep:me");
        var layer = new LayerInfo(new string('c', 64), 10, 1, DateTimeOffset.UtcNow);

        var fresh = _store.Commit("busybox:latest", [layer], new ImageConfig(), DateTimeOffset.UtcNow, null);

        _store.Resolve("busybox").Id.ShouldBe(fresh.Id);
        _store.Resolve(old.Id).Names.ShouldBe(["keep:me"]);
        fresh.Size.ShouldBe(10);
    }
}
