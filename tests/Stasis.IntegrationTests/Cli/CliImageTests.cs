using System.Text.Json;
using Shouldly;
using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>image ls / rm: an image in use is kept, with a message saying by whom.</summary>
[Collection(CliCollection.Name)]
public sealed class CliImageTests
{
    [Fact]
    public async Task Image_ls_lists_the_imported_image()
    {
        await using var s = await CliSandbox.CreateAsync();

        var ls = await s.OkAsync("image", "ls");
        ls.OutLines[0].ShouldStartWith("NAME");
        ls.OutLines.Skip(1).ShouldHaveSingleItem(ls.ToString()).ShouldStartWith("busybox:latest");

        using var doc = JsonDocument.Parse((await s.OkAsync("image", "ls", "--format", "json")).Out);
        var image = doc.RootElement.EnumerateArray().ShouldHaveSingleItem();
        image.GetProperty("names").EnumerateArray().Select(n => n.GetString()).ShouldBe(["busybox:latest"]);
        image.GetProperty("size").GetInt64().ShouldBeGreaterThan(new FileInfo(BusyboxRootfs.Busybox).Length - 1);
    }

    [Fact]
    public async Task Image_rm_is_refused_while_a_container_uses_it_and_works_after()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("create", "--name", "user1", "busybox", "true");

        var refused = await s.RunAsync("image", "rm", "busybox");

        refused.Exit.ShouldBe(104, refused.ToString());
        var line = refused.ErrorLines.ShouldHaveSingleItem(refused.ToString());
        line.ShouldContain("in use");
        line.ShouldContain("user1");
        (await s.OkAsync("image", "ls")).Out.ShouldContain("busybox:latest");

        await s.OkAsync("rm", "-f", "user1");
        (await s.OkAsync("image", "rm", "busybox")).OutLines.ShouldBe(["busybox"]);

        (await s.OkAsync("image", "ls")).OutLines.Length.ShouldBe(1);
        Directory.EnumerateFileSystemEntries(Path.Combine(s.Root, "layers")).ShouldBeEmpty();
        var r = await s.RunAsync("run", "busybox", "true");
        r.Exit.ShouldBe(103, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("no such image");
    }

    [Fact]
    public async Task Image_rm_of_an_unknown_image_is_named()
    {
        await using var s = await CliSandbox.CreateAsync();

        var r = await s.RunAsync("image", "rm", "nginx");

        r.Exit.ShouldBe(103, r.ToString());
        r.ErrorLines.ShouldHaveSingleItem().ShouldContain("nginx");
    }

    [Fact]
    public async Task Containers_never_write_into_the_image()
    {
        await using var s = await CliSandbox.CreateAsync();
        await s.OkAsync("run", "--name", "writer", "busybox", "sh", "-c", "echo changed > /etc/passwd; rm /bin/ls");

        var r = await s.OkAsync("run", "--rm", "busybox", "sh", "-c", "cat /etc/passwd; ls /bin/ls");

        r.OutLines.ShouldBe(["root:x:0:0:root:/root:/bin/sh", "/bin/ls"], r.ToString());
    }
}
