using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class CheckpointDiffTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Reports_processes_memory_files_and_sockets_that_changed()
    {
        using var a = SampleCheckpoint.Create();
        using var b = SampleCheckpoint.Create(variant: 1);

        var d = CheckpointDiffer.Diff(a.Open(), b.Open(), Ct);

        d.ProcessesStarted.ShouldBe([new ProcessRef(3, "helper")]);
        d.ProcessesEnded.ShouldBe([new ProcessRef(2, "worker")]);
        d.MemoryChanges.ShouldBe([new MemoryChange(1, "app", 5, 7, 2 * 4096)]);
        d.FilesOpened.ShouldBe([new FileChange(1, "app", new OpenFile(8, "file", "/tmp/new.txt", 5, "r"))]);
        d.FilesClosed.Select(f => f.File.Fd).ShouldBe([5]);
        d.SocketsAdded.ShouldBeEmpty();
        d.SocketsRemoved.ShouldHaveSingleItem().RemotePort.ShouldBe(40000);
        d.IsEmpty.ShouldBeFalse();
    }

    [Fact]
    public void A_checkpoint_compared_with_itself_has_no_changes()
    {
        using var a = SampleCheckpoint.Create();
        CheckpointDiffer.Diff(a.Open(), a.Open(), Ct).IsEmpty.ShouldBeTrue();
    }
}
