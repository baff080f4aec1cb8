using Shouldly;
using Stasis.Images;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Images;

public sealed class ImageUserResolverTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Layer(string name, params (string Path, string Content)[] files)
    {
        var root = _dir.Combine(name);
        Directory.CreateDirectory(root);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return root;
    }

    private const string Passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:App:/home/app:/bin/sh\n# comment\nnohome:x:1002:1002\n";
    private const string Group = "root:x:0:\napp:x:1001:\nwheel:x:10:app,other\naudio:x:29:app\nstaff:x:50:\n";

    private IReadOnlyList<string> Layers() => [Layer("top", ("etc/group", Group)), Layer("bottom", ("etc/passwd", Passwd), ("etc/group", "root:x:0:\n"))];

    [Fact]
    public void An_empty_user_is_root() => ImageUserResolver.Resolve("", Layers()).ShouldBe(ResolvedUser.Root);

    [Fact]
    public void A_name_resolves_from_passwd_with_its_supplementary_groups_from_the_top_most_group_file()
    {
        var user = ImageUserResolver.Resolve("app", Layers());

        user.Uid.ShouldBe(1000u);
        user.Gid.ShouldBe(1001u);
        user.AdditionalGids.ShouldBe([10u, 29u]);
        user.Home.ShouldBe("/home/app");
    }

    [Theory]
    [InlineData("1000", 1000u, 1001u)]
    [InlineData("4242", 4242u, 0u)]
    [InlineData("1000:50", 1000u, 50u)]
    [InlineData("app:staff", 1000u, 50u)]
    [InlineData("4242:4343", 4242u, 4343u)]
    [InlineData("nohome", 1002u, 1002u)]
    public void Numbers_and_names_combine(string spec, uint uid, uint gid)
    {
        var user = ImageUserResolver.Resolve(spec, Layers());

        user.Uid.ShouldBe(uid);
        user.Gid.ShouldBe(gid);
        if (spec.Contains(':')) user.AdditionalGids.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ghost", "user 'ghost'")]
    [InlineData("app:ghosts", "group 'ghosts'")]
    public void Unknown_names_are_refused(string spec, string expected)
    {
        var e = Should.Throw<StasisException>(() => ImageUserResolver.Resolve(spec, Layers()));

        e.Code.ShouldBe(StasisErrorCode.NotFound);
        e.Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData(":1")]
    [InlineData("app:")]
    public void Malformed_specs_are_refused(string spec) =>
        Should.Throw<StasisException>(() => ImageUserResolver.Resolve(spec, Layers())).Code.ShouldBe(StasisErrorCode.InvalidArgument);

    [Fact]
    public void A_name_needs_a_passwd_file_and_a_symlinked_one_is_not_followed()
    {
        var plain = Layer("plain", ("bin/sh", ""));
        var linked = Layer("linked");
        Directory.CreateDirectory(Path.Combine(linked, "etc"));
        File.CreateSymbolicLink(Path.Combine(linked, "etc", "passwd"), "/etc/passwd");

        Should.Throw<StasisException>(() => ImageUserResolver.Resolve("root", [plain])).Code.ShouldBe(StasisErrorCode.NotFound);
        Should.Throw<StasisException>(() => ImageUserResolver.Resolve("root", [linked])).Code.ShouldBe(StasisErrorCode.NotFound);
        ImageUserResolver.Resolve("0", [linked]).Gid.ShouldBe(0u);
    }

    [Fact]
    public void The_top_most_layer_with_the_file_wins()
    {
        var top = Layer("newer", ("etc/passwd", "app:x:2000:2000::/srv:/bin/sh\n"));

        ImageUserResolver.Resolve("app", [top, .. Layers()]).Uid.ShouldBe(2000u);
        LayerFiles.Find([top, .. Layers()], "etc/group").ShouldBe(Path.Combine(_dir.Combine("top"), "etc", "group"));
        LayerFiles.Find(Layers(), "etc/shadow").ShouldBeNull();
    }

    [Theory]
    [InlineData(new[] { "run", "-u", "app", "img", "id" }, new[] { "run", "-u", "app", "img", "--", "id" })]
    [InlineData(new[] { "create", "--user", "1:2", "img", "sh", "-u" }, new[] { "create", "--user", "1:2", "img", "--", "sh", "-u" })]
    public void The_user_flag_takes_a_value_before_the_image(string[] args, string[] expected) =>
        Stasis.Cli.ArgumentSplitter.Split(args).ShouldBe(expected);
}
