using Shouldly;
using Stasis.Checkpoints;
using Stasis.Interop;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Export;

/// <summary>An archive file appears whole and private (0600), or not at all.</summary>
public sealed class PartialFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_committed_file_replaces_the_target_mode_0600_and_leaves_no_partial(bool durable)
    {
        using var dir = new TempDir();
        var target = dir.Combine("a.tar.zst");
        using (var f = PartialFile.Create(target))
        {
            File.Exists(target).ShouldBeFalse();
            LibcStat.TryLstat(target + ".partial", out var st).ShouldBeTrue();
            ((int)st.Permissions).ShouldBe(0x180);
            await f.Stream.WriteAsync("data"u8.ToArray(), Ct);
            f.Commit(durable, Ct);
        }
        File.ReadAllText(target).ShouldBe("data");
        File.Exists(target + ".partial").ShouldBeFalse();
    }

    [Fact]
    public async Task An_uncommitted_file_is_removed_and_the_old_target_kept()
    {
        using var dir = new TempDir();
        var target = dir.Combine("a.tar.zst");
        File.WriteAllText(target, "old");
        using (var f = PartialFile.Create(target))
            await f.Stream.WriteAsync("half"u8.ToArray(), Ct);
        File.ReadAllText(target).ShouldBe("old");
        File.Exists(target + ".partial").ShouldBeFalse();
    }

    [Fact]
    public void A_missing_folder_is_refused_before_anything_is_written()
    {
        using var dir = new TempDir();
        Should.Throw<StasisException>(() => PartialFile.Create(dir.Combine("nope", "a.tar"))).Code.ShouldBe(StasisErrorCode.NotFound);
    }
}
