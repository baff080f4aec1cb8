using Shouldly;
using Stasis.Runtime;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Which freezer file is used, on a fake cgroup tree (the real one is exercised by every checkpoint in the
/// integration tests: a dump that fails or leaves the container running must find it running again).</summary>
public sealed class CgroupFreezerTests : IDisposable
{
    private readonly TempDirectory _root = new();

    private string Make(string relative, string file, string content)
    {
        var dir = Path.Combine(_root.Path, relative);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), content);
        return Path.Combine(dir, file);
    }

    [Fact]
    public async Task On_a_hybrid_host_the_v1_freezer_is_used_and_thawed_afterwards()
    {
        var v1 = Make("freezer/stasis/abc", "freezer.state", "THAWED\n");
        var v2 = Make("stasis/abc", "cgroup.freeze", "0\n");
        var f = CgroupFreezer.Find("/stasis/abc", _root.Path);
        f.ShouldNotBeNull();
        (await f.FreezeAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)).ShouldBeTrue();
        File.ReadAllText(v1).ShouldBe("FROZEN");
        File.ReadAllText(v2).ShouldBe("0\n", "the unified hierarchy is left alone when the v1 controller exists");
        f.Thaw();
        File.ReadAllText(v1).ShouldBe("THAWED");
    }

    [Fact]
    public async Task On_a_unified_host_cgroup_freeze_is_used_and_frozen_is_read_from_cgroup_events()
    {
        var freeze = Make("stasis/abc", "cgroup.freeze", "0\n");
        var events = Make("stasis/abc", "cgroup.events", "populated 1\nfrozen 1\n");
        var f = CgroupFreezer.Find("/stasis/abc", _root.Path);
        f.ShouldNotBeNull();
        (await f.FreezeAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken)).ShouldBeTrue();
        File.ReadAllText(freeze).ShouldBe("1");

        File.WriteAllText(events, "populated 1\nfrozen 0\n");
        (await f.FreezeAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken))
            .ShouldBeFalse("a cgroup that never reports frozen is given back to CRIU thawed");
        File.ReadAllText(freeze).ShouldBe("0");
    }

    [Fact]
    public void Without_a_freezer_there_is_nothing_to_do() =>
        CgroupFreezer.Find("/stasis/abc", _root.Path).ShouldBeNull();

    public void Dispose() => _root.Dispose();
}
