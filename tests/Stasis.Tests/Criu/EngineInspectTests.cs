using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class EngineInspectTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("stasis-engine-").FullName;
    private readonly Engine _engine;

    public EngineInspectTests() => _engine = new Engine(new EngineOptions { Root = _root });

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Inspects_a_checkpoint_folder_or_its_images_folder()
    {
        using var cp = SampleCheckpoint.Create();

        var viaLayout = await _engine.InspectCheckpointDirectoryAsync(cp.Root, InspectOptions.All, Ct);
        var viaImages = await _engine.InspectCheckpointDirectoryAsync(cp.Images, InspectOptions.All, Ct);

        viaLayout.Processes.Count.ShouldBe(2);
        viaImages.ShouldBe(viaLayout);
        viaLayout.Processes[0].Cmdline.ShouldBe(["/bin/app", "--serve", "port=8080"]);
    }

    [Fact]
    public async Task A_folder_without_images_is_not_found_with_a_clear_message()
    {
        var e = await Should.ThrowAsync<StasisException>(() => _engine.InspectCheckpointDirectoryAsync(_root, InspectOptions.All, Ct));
        e.Code.ShouldBe(StasisErrorCode.NotFound);
        e.Message.ShouldContain("checkpoint/");
    }

    [Fact]
    public async Task Memsearch_diff_and_summary_work_on_folders()
    {
        using var a = SampleCheckpoint.Create();
        using var b = SampleCheckpoint.Create(variant: 1);

        (await _engine.MemSearchDirectoryAsync(a.Root, new MemorySearchQuery { Text = SampleCheckpoint.Secret }, Ct)).Matches.Count.ShouldBe(1);
        (await _engine.DiffCheckpointDirectoriesAsync(a.Root, b.Root, Ct)).ProcessesStarted.Count.ShouldBe(1);
        _engine.SummarizeCheckpoint(a.Root).Processes.ShouldBe(2);
    }

    [Fact]
    public async Task An_unknown_container_is_not_found()
        => (await Should.ThrowAsync<StasisException>(() => _engine.InspectCheckpointAsync("nope", "cp1", InspectOptions.All, Ct)))
            .Code.ShouldBe(StasisErrorCode.NotFound);
}
