using System.Text;
using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

public sealed class MemorySearchTests : IDisposable
{
    private const int Ps = FakeCheckpoint.PageSize;
    private readonly FakeCheckpoint _cp = new();

    public void Dispose() => _cp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One process whose memory is three runs: two adjacent pages, then (after a hole) one more page.</summary>
    private void ThreeRuns(byte[] first, byte[] second, byte[] third)
    {
        _cp.Process(1, 0, "app");
        _cp.Memory(1, 1, [FakeCheckpoint.Vma(0x10000, 0x20000)],
            [new(0x10000, 1, Data: first), new(0x11000, 1, Data: second), new(0x13000, 1, Data: third)]);
    }

    private static byte[] Page(int at, string text)
    {
        var b = new byte[Ps];
        Encoding.ASCII.GetBytes(text).CopyTo(b, at);
        return b;
    }

    [Fact]
    public void Finds_text_with_its_virtual_address_and_a_hexdump_around_it()
    {
        ThreeRuns(Page(0x40, "xx password=hunter2 yy"), new byte[Ps], new byte[Ps]);

        var r = MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "hunter2", Context = 16 }, Ct);

        var m = r.Matches.ShouldHaveSingleItem();
        m.Pid.ShouldBe(1);
        m.Command.ShouldBe("app");
        m.Address.ShouldBe(0x10000ul + 0x40 + 12);
        m.Text.ShouldBe("hunter2");
        m.ContextAddress.ShouldBe(m.Address - 16);
        string.Concat(m.Hexdump.Split('\n').Select(l => l[(l.IndexOf('|') + 1)..^1])).ShouldContain("password=hunter2");
        m.Hexdump.ShouldStartWith((m.Address - 16).ToString("x16"));
        r.Truncated.ShouldBeFalse();
        r.BytesSearched.ShouldBe(3ul * Ps);
    }

    [Fact]
    public void A_match_across_two_adjacent_pagemap_runs_is_found()
    {
        ThreeRuns(Page(Ps - 4, "SPAN"), Page(0, "NING-TEXT"), new byte[Ps]);

        var r = MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "SPANNING-TEXT" }, Ct);

        r.Matches.ShouldHaveSingleItem().Address.ShouldBe(0x11000ul - 4);
    }

    [Fact]
    public void Text_split_by_a_hole_in_memory_is_not_a_match()
    {
        ThreeRuns(new byte[Ps], Page(Ps - 4, "SPAN"), Page(0, "NING-TEXT"));

        MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "SPANNING-TEXT" }, Ct).Matches.ShouldBeEmpty();
    }

    [Fact]
    public void Matches_across_read_windows_are_found_once()
    {
        // A 4 KiB window forces every page boundary to be a window boundary too.
        ThreeRuns(Page(Ps - 3, "ABC"), Page(0, "DEF--ABCDEF--ABCDEF"), Page(0, "ABCDEF"));
        var second = _cp.Open();

        var r = MemorySearch.Search(second, new MemorySearchQuery { Text = "ABCDEF" }, Ps, Ct);

        r.Matches.Select(m => m.Address).ShouldBe([0x11000ul - 3, 0x11000ul + 5, 0x11000ul + 13, 0x13000ul]);
    }

    [Fact]
    public void Regex_matches_with_byte_accurate_addresses_even_across_windows()
    {
        ThreeRuns(Page(Ps - 6, "key=12"), Page(0, "34;key=99;"), new byte[Ps]);

        var r = MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Pattern = @"key=\d+" }, Ps, Ct);

        r.Matches.Select(m => (m.Address, m.Text)).ShouldBe([(0x11000ul - 6, "key=1234"), (0x11000ul + 3, "key=99")]);
    }

    [Fact]
    public void Ignore_case_applies_to_plain_text()
    {
        ThreeRuns(Page(10, "Hello World"), new byte[Ps], new byte[Ps]);
        MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "hello world", IgnoreCase = true }, Ct).Matches.Count.ShouldBe(1);
        MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "hello world" }, Ct).Matches.ShouldBeEmpty();
    }

    [Fact]
    public void Stops_at_the_maximum_and_says_so()
    {
        ThreeRuns(Page(0, "aaaaaaaaaa"), new byte[Ps], new byte[Ps]);
        var r = MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "a", MaxMatches = 3 }, Ct);
        r.Matches.Count.ShouldBe(3);
        r.Truncated.ShouldBeTrue();
    }

    [Fact]
    public void Pid_limits_the_search_to_one_process()
    {
        using var cp = SampleCheckpoint.Create();
        var all = MemorySearch.Search(cp.Open(), new MemorySearchQuery { Text = "/bin/app" }, Ct);
        all.Matches.ShouldHaveSingleItem().Pid.ShouldBe(1);
        MemorySearch.Search(cp.Open(), new MemorySearchQuery { Text = "/bin/app", Pid = 2 }, Ct).Matches.ShouldBeEmpty();
        var secret = MemorySearch.Search(cp.Open(), new MemorySearchQuery { Text = SampleCheckpoint.Secret, Pid = 1 }, Ct);
        secret.Matches.ShouldHaveSingleItem().Address.ShouldBe(SampleCheckpoint.Heap + SampleCheckpoint.SecretOffset);
    }

    [Fact]
    public void An_unknown_pid_is_not_found()
    {
        ThreeRuns(new byte[Ps], new byte[Ps], new byte[Ps]);
        Should.Throw<StasisException>(() => MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "x", Pid = 99 }, Ct))
            .Code.ShouldBe(StasisErrorCode.NotFound);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a", "b")]
    [InlineData(null, "(unclosed")]
    public void Needs_exactly_one_valid_query(string? text, string? pattern)
    {
        ThreeRuns(new byte[Ps], new byte[Ps], new byte[Ps]);
        Should.Throw<StasisException>(() => MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = text, Pattern = pattern }, Ct))
            .Code.ShouldBe(StasisErrorCode.InvalidArgument);
    }

    [Fact]
    public void A_pages_file_shorter_than_its_pagemap_is_damaged()
    {
        ThreeRuns(new byte[Ps], new byte[Ps], new byte[Ps]);
        var pages = _cp.Path("pages-1.img");
        File.WriteAllBytes(pages, File.ReadAllBytes(pages)[..(Ps + 100)]);

        var e = Should.Throw<StasisException>(() => MemorySearch.Search(_cp.Open(), new MemorySearchQuery { Text = "x" }, Ct));

        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("pages-1.img");
        e.Message.ShouldContain($"byte offset {Ps + 100}");
    }

    [Fact]
    public void Hexdump_shows_sixteen_bytes_a_line()
    {
        var dump = Hexdump.Format(0x1000, Encoding.ASCII.GetBytes("0123456789abcdefXYZ"));
        dump.Split('\n').ShouldBe([
            "0000000000001000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|",
            "0000000000001010  58 59 5a                                          |XYZ|",
        ]);
    }
}
