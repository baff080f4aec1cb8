using Shouldly;
using Stasis.Checkpoints;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Named checkpoints on disk: default names never collide, unfinished ones are never shown.</summary>
public sealed class CheckpointStoreTests : IDisposable
{
    private const string Id = "c0ffee0000000000000000000000000000000000000000000000000000000000";
    private readonly TempDirectory _root = new();
    private readonly StorePaths _paths;
    private readonly CheckpointStore _store;

    public CheckpointStoreTests()
    {
        _paths = new StorePaths(_root.Path, Path.Combine(_root.Path, "run"));
        _store = new CheckpointStore(_paths);
    }

    public void Dispose() => _root.Dispose();

    private string Write(string folderName, string name, DateTimeOffset created)
    {
        var folder = Path.Combine(_paths.Checkpoints(Id), folderName);
        Directory.CreateDirectory(folder);
        CheckpointStore.WriteMetadata(folder, new CheckpointInfo
        {
            Name = name, ContainerId = Id, ContainerName = "web", Image = "busybox:latest", ImageId = new string('b', 64), Created = created,
        });
        return folder;
    }

    [Fact]
    public void Default_name_is_derived_from_the_time()
    {
        var now = new DateTimeOffset(2026, 11, 22, 3, 4, 5, TimeSpan.Zero);
        _store.DefaultName(Id, now).ShouldBe("cp-20261122-030405");
    }

    [Fact]
    public void Default_names_in_the_same_second_stay_unique()
    {
        var now = new DateTimeOffset(2026, 11, 22, 3, 4, 5, TimeSpan.Zero);
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var name = _store.DefaultName(Id, now);
            seen.ShouldNotContain(name);
            seen.Add(name);
            Write(name, name, now);
        }
        seen.ShouldBe(["cp-20261122-030405", "cp-20261122-030405-2", "cp-20261122-030405-3"]);
    }

    [Fact]
    public void Default_name_uses_utc()
    {
        var local = new DateTimeOffset(2026, 11, 22, 5, 4, 5, TimeSpan.FromHours(2));
        _store.DefaultName(Id, local).ShouldBe("cp-20261122-030405");
    }

    [Fact]
    public void Staging_folders_are_never_listed()
    {
        var t = DateTimeOffset.UtcNow;
        Write("done", "done", t);
        Write(".staging-next-0123", "next", t.AddSeconds(1));
        Directory.CreateDirectory(Path.Combine(_paths.Checkpoints(Id), ".half-made"));

        _store.List(Id).Select(c => c.Name).ShouldBe(["done"]);
        _store.Names(Id).ShouldBe(["done"]);
    }

    [Fact]
    public void List_is_oldest_first_and_fills_in_the_path()
    {
        var t = DateTimeOffset.UtcNow;
        var newer = Write("b-newer", "b-newer", t);
        Write("a-older", "a-older", t.AddMinutes(-5));

        var list = _store.List(Id);
        list.Select(c => c.Name).ShouldBe(["a-older", "b-newer"]);
        list[1].Path.ShouldBe(newer);
    }

    [Fact]
    public void A_folder_without_readable_metadata_is_skipped()
    {
        Write("good", "good", DateTimeOffset.UtcNow);
        var bad = Path.Combine(_paths.Checkpoints(Id), "bad");
        Directory.CreateDirectory(bad);
        File.WriteAllText(Path.Combine(bad, CheckpointLayout.Metadata), "{ broken");

        _store.List(Id).Select(c => c.Name).ShouldBe(["good"]);
    }

    [Fact]
    public void A_container_without_checkpoints_has_none()
    {
        _store.List(Id).ShouldBeEmpty();
        _store.Names(Id).ShouldBeEmpty();
    }

    [Fact]
    public void Metadata_does_not_store_the_path()
    {
        var folder = Write("cp", "cp", DateTimeOffset.UtcNow);
        File.ReadAllText(Path.Combine(folder, CheckpointLayout.Metadata)).ShouldNotContain(folder);
        CheckpointStore.TryRead(folder)!.Path.ShouldBe(folder);
    }
}
