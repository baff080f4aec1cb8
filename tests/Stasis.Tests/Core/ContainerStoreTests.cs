using Shouldly;
using Stasis.Containers;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Containers are found by name, id or a unique id prefix; names are checked and never shared.</summary>
public sealed class ContainerStoreTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly ContainerStore _store;

    public ContainerStoreTests() => _store = new ContainerStore(new StorePaths(_root.Path, Path.Combine(_root.Path, "run")));

    public void Dispose() => _root.Dispose();

    private ContainerRecord Add(string name, string? id = null)
    {
        var rec = new ContainerRecord
        {
            Id = id ?? ContainerStore.NewId(),
            Name = name,
            Image = "busybox:latest",
            ImageId = new string('b', 64),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        _store.Save(rec);
        return rec;
    }

    [Theory]
    [InlineData("web")]
    [InlineData("a")]
    [InlineData("Web_1.2-x")]
    [InlineData("9lives")]
    public void Good_names_are_accepted(string name)
    {
        Should.NotThrow(() => ContainerStore.ValidateName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-web")]
    [InlineData("_web")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("with space")]
    [InlineData("tab\tname")]
    public void Bad_names_are_refused_with_the_name_in_the_message(string name)
    {
        var e = Should.Throw<StasisException>(() => ContainerStore.ValidateName(name));
        e.Code.ShouldBe(StasisErrorCode.InvalidArgument);
        e.Message.ShouldContain($"'{name}'");
    }

    [Fact]
    public void Names_longer_than_128_are_refused()
    {
        Should.NotThrow(() => ContainerStore.ValidateName(new string('a', 128)));
        Should.Throw<StasisException>(() => ContainerStore.ValidateName(new string('a', 129)));
    }

    [Fact]
    public void Saved_record_reads_back()
    {
        var rec = Add("web");
        var loaded = _store.Load(rec.Id);
        loaded.Name.ShouldBe("web");
        loaded.Image.ShouldBe("busybox:latest");
        _store.List().Select(c => c.Id).ShouldBe([rec.Id]);
    }

    [Fact]
    public void Resolve_by_name_by_full_id_and_by_unique_prefix()
    {
        var web = Add("web", "abc1" + new string('0', 60));
        var db = Add("db", "abd2" + new string('0', 60));

        _store.Resolve("web").Id.ShouldBe(web.Id);
        _store.Resolve(db.Id).Name.ShouldBe("db");
        _store.Resolve("abc").Name.ShouldBe("web");
        _store.Resolve("abd2").Name.ShouldBe("db");
    }

    [Fact]
    public void Ambiguous_prefix_is_a_clear_error()
    {
        Add("web", "abc1" + new string('0', 60));
        Add("db", "abc2" + new string('0', 60));

        var e = Should.Throw<StasisException>(() => _store.Resolve("abc"));
        e.Code.ShouldBe(StasisErrorCode.InvalidArgument);
        e.Message.ShouldContain("'abc' matches 2 containers");
    }

    [Fact]
    public void Prefix_shorter_than_three_characters_is_not_used()
    {
        Add("web", "abc1" + new string('0', 60));
        var e = Should.Throw<StasisException>(() => _store.Resolve("ab"));
        e.Code.ShouldBe(StasisErrorCode.NotFound);
    }

    [Fact]
    public void A_name_wins_over_an_id_prefix()
    {
        var named = Add("abc", "fff" + new string('0', 61));
        Add("other", "abc" + new string('1', 61));
        _store.Resolve("abc").Id.ShouldBe(named.Id);
    }

    [Fact]
    public void Unknown_container_is_not_found_and_named_in_the_message()
    {
        Add("web");
        var e = Should.Throw<StasisException>(() => _store.Resolve("nope"));
        e.Code.ShouldBe(StasisErrorCode.NotFound);
        e.Message.ShouldBe("no such container: nope");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_reference_is_refused(string reference)
    {
        Should.Throw<StasisException>(() => _store.Resolve(reference)).Code.ShouldBe(StasisErrorCode.InvalidArgument);
    }

    [Fact]
    public void ChooseName_refuses_a_taken_name()
    {
        Add("web");
        var e = Should.Throw<StasisException>(() => _store.ChooseName("web"));
        e.Code.ShouldBe(StasisErrorCode.Conflict);
        e.Message.ShouldContain("'web' is already in use");
        _store.ChooseName("web2").ShouldBe("web2");
    }

    [Fact]
    public void ChooseName_validates_the_requested_name()
    {
        Should.Throw<StasisException>(() => _store.ChooseName("../x")).Code.ShouldBe(StasisErrorCode.InvalidArgument);
    }

    [Fact]
    public void Generated_names_are_valid_and_free()
    {
        var taken = Enumerable.Range(0, 5).Select(_ => Add(_store.ChooseName(null)).Name).ToList();
        taken.Distinct().Count().ShouldBe(5);
        foreach (var n in taken) Should.NotThrow(() => ContainerStore.ValidateName(n));
    }

    [Fact]
    public void Damaged_record_is_reported_with_its_path()
    {
        var rec = Add("web");
        File.WriteAllText(Path.Combine(_root.Path, "containers", rec.Id, "container.json"), "{ not json");
        var e = Should.Throw<StasisException>(() => _store.Load(rec.Id));
        e.Message.ShouldContain("container.json");
        e.Message.ShouldContain("damaged");
    }

    [Fact]
    public void New_ids_are_64_hex_characters_and_differ()
    {
        var a = ContainerStore.NewId();
        a.Length.ShouldBe(64);
        a.ShouldMatch("^[0-9a-f]{64}$");
        ContainerStore.NewId().ShouldNotBe(a);
    }
}
