using System.Text.Json;
using Shouldly;
using Stasis.Cli;
using Stasis.Containers;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

/// <summary>`stasis checkpoint inspect | memsearch | diff`, parsed by the real root command, against a store with one
/// container that has two hand-built checkpoints.</summary>
public sealed class CheckpointCommandsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stasis-cli-").FullName;
    private readonly Engine _engine;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly FakeCheckpoint _cp1;
    private readonly FakeCheckpoint _cp2;

    public CheckpointCommandsTests()
    {
        _engine = new Engine(new EngineOptions { Root = _root });
        var id = ContainerStore.NewId();
        _engine.Containers.Save(new ContainerRecord { Id = id, Name = "web", Image = "busybox", ImageId = "sha256:00" });
        _cp1 = SampleCheckpoint.Create(0, _engine.Paths.Checkpoint(id, "cp1"));
        _cp2 = SampleCheckpoint.Create(1, _engine.Paths.Checkpoint(id, "cp2"));
    }

    public void Dispose()
    {
        _cp1.Dispose();
        _cp2.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Runs `stasis checkpoint VERB args --root ROOT`; returns the exit code.</summary>
    private async Task<int> Run(string verb, params string[] args)
    {
        var root = Program.BuildRoot(new CliContext { Out = _out, Err = _err });
        var result = root.Parse(["checkpoint", verb, .. args, "--root", _root]);
        result.Errors.ShouldBeEmpty();
        return await result.InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Inspect_shows_the_process_tree_by_default()
    {
        (await Run("inspect", "web", "cp1")).ShouldBe(0);

        var text = _out.ToString();
        text.ShouldContain("web/cp1");
        text.ShouldContain("1 app");
        text.ShouldContain("2 worker");
        text.ShouldNotContain("/var/log/app.log");
    }

    [Fact]
    public async Task Inspect_all_shows_cmdline_files_sockets_mounts_memory_and_stats()
    {
        (await Run("inspect", "web", "cp1", "--all")).ShouldBe(0);

        var text = _out.ToString();
        text.ShouldContain("/bin/app --serve port=8080");
        text.ShouldContain("HOME=/root");
        text.ShouldContain("/var/log/app.log  pos 1234");
        text.ShouldContain("tcp/ipv4  127.0.0.1:8080  LISTEN");
        text.ShouldContain("127.0.0.1:8080 -> 127.0.0.1:40000  ESTABLISHED");
        text.ShouldContain("/proc  proc");
        text.ShouldContain("5 resident pages");
        text.ShouldContain("pages scanned 2314, written 2179");
    }

    [Fact]
    public async Task Inspect_json_is_the_library_model()
    {
        (await Run("inspect", "web", "cp1", "--files", "--sockets", "--format", "json")).ShouldBe(0);

        var json = _out.ToString();
        json.ShouldContain("->");
        var model = JsonSerializer.Deserialize(json, InspectionJsonContext.Default.CheckpointInspection)!;
        model.ShouldBe(await _engine.InspectCheckpointAsync("web", "cp1", new InspectOptions { Files = true, Sockets = true }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Inspect_archive_accepts_an_unpacked_checkpoint_folder()
    {
        (await Run("inspect", "--archive", _cp1.Root, "--cmdline")).ShouldBe(0);
        _out.ToString().ShouldContain("/bin/app --serve port=8080");
    }

    [Fact]
    public async Task Inspect_errors_are_one_line_and_an_exit_code()
    {
        (await Run("inspect", "web")).ShouldBe(125);
        _err.ToString().ShouldContain("Error: give CONTAINER and CHECKPOINT, or --archive PATH");
        (await Run("inspect", "web", "nope")).ShouldBe(103);
        _err.ToString().ShouldContain("no checkpoint 'nope'");
        var file = Path.Combine(_root, "x.tar");
        File.WriteAllText(file, "");
        (await Run("inspect", "--archive", file)).ShouldBe(107); // archive files are unpacked now; an empty one is damaged
        _out.ToString().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_damaged_image_is_reported_with_file_and_offset()
    {
        File.WriteAllBytes(_cp1.Path("pstree.img"), [0x19, 0x43, 0x56, 0x54, 1, 2, 3, 4]);
        (await Run("inspect", "web", "cp1")).ShouldBe(107);
        _err.ToString().ShouldContain("pstree.img");
        _err.ToString().ShouldContain("byte offset 4");
    }

    [Fact]
    public async Task Memsearch_prints_address_and_hexdump_and_exits_1_without_a_hit()
    {
        (await Run("memsearch", "web", "cp1", "--search", SampleCheckpoint.Secret, "--pid", "1")).ShouldBe(0);
        var text = _out.ToString();
        text.ShouldContain($"pid 1 (app) at 0x{SampleCheckpoint.Heap + SampleCheckpoint.SecretOffset:x}");
        text.ShouldContain("|the-SECRET-in-th|");
        text.ShouldContain("1 match in");

        (await Run("memsearch", "web", "cp1", "--regex", "no[t]here")).ShouldBe(1);
        _out.ToString().ShouldContain("no match");
    }

    [Fact]
    public async Task Memsearch_needs_exactly_one_of_search_and_regex()
    {
        (await Run("memsearch", "web", "cp1")).ShouldBe(125);
        _err.ToString().ShouldContain("--search");
    }

    [Fact]
    public async Task Diff_lists_what_changed()
    {
        (await Run("diff", "web", "cp1", "cp2")).ShouldBe(0);

        var text = _out.ToString();
        text.ShouldContain("+ 3 helper");
        text.ShouldContain("- 2 worker");
        text.ShouldContain("1 app: 5 -> 7 pages (+8.0 KiB)");
        text.ShouldContain("+ 1 app:    8  file     /tmp/new.txt  pos 5");
        text.ShouldContain("- pid 1 fd 5");
    }

    [Fact]
    public async Task Diff_json_round_trips()
    {
        (await Run("diff", "web", "cp1", "cp2", "--format", "json")).ShouldBe(0);
        var d = JsonSerializer.Deserialize(_out.ToString(), InspectionJsonContext.Default.CheckpointDiff)!;
        d.ProcessesStarted.ShouldBe([new ProcessRef(3, "helper")]);
    }
}
