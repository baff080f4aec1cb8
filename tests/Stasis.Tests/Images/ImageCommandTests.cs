using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Cli;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Images;

/// <summary>`stasis image load|save|inspect|rm` through the real root command.</summary>
public sealed class ImageCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose() => _dir.Dispose();

    private async Task<int> Run(params string[] args)
    {
        var root = Program.BuildRoot(new CliContext { Out = _out, Err = _err });
        var result = root.Parse(ArgumentSplitter.Split([.. args, "--root", _dir.Combine("root")]));
        result.Errors.ShouldBeEmpty();
        return await result.InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    private static TestImage Image(params string[] names) => new()
    {
        Layers = [TarBuilder.Build(TarBuilder.File("hello", "hi"))],
        Names = names,
        Config = new JsonObject
        {
            ["Entrypoint"] = new JsonArray("/hello"),
            ["Env"] = new JsonArray("A=1"),
            ["WorkingDir"] = "/w",
            ["User"] = "app",
            ["ExposedPorts"] = new JsonObject { ["80/tcp"] = new JsonObject() },
        },
    };

    [Fact]
    public async Task Load_inspect_save_and_rm_work_from_the_command_line()
    {
        var archive = _dir.Combine("app.tar");
        await File.WriteAllBytesAsync(archive, ImageArchives.Docker([Image("example.com/app:1")]), TestContext.Current.CancellationToken);

        (await Run("image", "load", "-i", archive)).ShouldBe(0, _err.ToString());
        _out.ToString().ShouldBe("Loaded image: example.com/app:1\n");

        _out.GetStringBuilder().Clear();
        (await Run("image", "inspect", "app:1")).ShouldBe(0, _err.ToString());
        var config = JsonNode.Parse(_out.ToString())!["config"]!;
        config["entrypoint"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["/hello"]);
        config["env"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["A=1"]);
        config["workingDir"]!.GetValue<string>().ShouldBe("/w");
        config["user"]!.GetValue<string>().ShouldBe("app");
        config["exposedPorts"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["80/tcp"]);

        var saved = _dir.Combine("saved.tar");
        (await Run("image", "save", "app:1", "-o", saved, "--compress", "zstd")).ShouldBe(0, _err.ToString());
        File.Exists(saved).ShouldBeTrue();
        (await Run("image", "rm", "app:1")).ShouldBe(0, _err.ToString());
        _out.GetStringBuilder().Clear();
        (await Run("image", "load", "-i", saved)).ShouldBe(0, _err.ToString());
        _out.ToString().ShouldBe("Loaded image: example.com/app:1\n");
    }

    [Fact]
    public async Task A_damaged_archive_fails_with_the_bad_archive_exit_code_and_one_line()
    {
        var archive = _dir.Combine("bad.tar");
        await File.WriteAllBytesAsync(archive, ImageArchives.Oci([Image("app:1")], tamper: m =>
        {
            var layer = m.Keys.First(k => k.StartsWith("blobs/") && m[k].Length > 1024);
            m[layer][700] ^= 1;
        }), TestContext.Current.CancellationToken);

        var code = await Run("image", "load", "-i", archive);

        code.ShouldBe(ExitCodes.For(StasisErrorCode.BadArchive));
        _err.ToString().ShouldStartWith("Error: The layer blob sha256:");
        _err.ToString().Count(c => c == '\n').ShouldBe(1);
    }
}
