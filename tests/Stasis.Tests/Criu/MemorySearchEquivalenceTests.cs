using System.Text;
using Shouldly;
using Stasis.Criu.Images;
using Xunit;

namespace Stasis.Tests.Criu;

/// <summary>The mapped, parallel memory search gives exactly what the search before it gave
/// (<see cref="ReferenceMemorySearch"/>, one read window per segment here, so it has no window seams): same matches,
/// addresses, hexdumps, truncation and bytes searched, with chunks as small as one page so that matches cross chunk,
/// page and pagemap-entry boundaries, and never a hole in memory.</summary>
public sealed class MemorySearchEquivalenceTests : IDisposable
{
    private const int Ps = FakeCheckpoint.PageSize;
    private readonly FakeCheckpoint _cp = new();

    public MemorySearchEquivalenceTests()
    {
        var random = new Random(6);
        _cp.Process(1, 0, "app").Process(7, 1, "worker");
        // Adjacent runs (one segment), a hole, a run kept in a parent checkpoint, and runs of several pages.
        _cp.Memory(1, 1, [FakeCheckpoint.Vma(0x10000, 0x40000)],
        [
            new(0x10000, 1, Data: Fill(random, 1)), new(0x11000, 2, Data: Fill(random, 2)), new(0x13000, 1, Data: Fill(random, 1)),
            new(0x15000, 3, Data: Fill(random, 3)), new(0x18000, 1, PagemapFlags.Parent), new(0x19000, 4, Data: Fill(random, 4)),
        ]);
        _cp.Memory(7, 2, [FakeCheckpoint.Vma(0x20000, 0x30000)],
            [new(0x20000, 5, Data: Fill(random, 5)), new(0x26000, 1, Data: Fill(random, 1))]);
    }

    public void Dispose() => _cp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Text with the things the queries look for, often enough that many cross a page boundary.</summary>
    private static byte[] Fill(Random random, int pages)
    {
        string[] words = ["key=", "ready 42 MiB", "Hello World", "hello", "aaaaa", "abbbc", "HeLLo", "café", " ", "\n", "KEY=7", "x"];
        var data = new byte[pages * Ps];
        var at = 0;
        while (at < data.Length)
        {
            byte[] piece = random.Next(6) switch
            {
                0 => Encoding.UTF8.GetBytes(words[random.Next(words.Length)] + random.Next(100000)),
                1 => new byte[random.Next(1, 40)],
                2 => [.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => (byte)random.Next(256))],
                _ => Encoding.UTF8.GetBytes(words[random.Next(words.Length)]),
            };
            var n = Math.Min(piece.Length, data.Length - at);
            piece.AsSpan(0, n).CopyTo(data.AsSpan(at));
            at += n;
        }
        return data;
    }

    public static TheoryData<string?, string?, bool> Queries() => new()
    {
        { "key=", null, false },
        { "ready 42 MiB", null, false },
        { "aa", null, false },
        { "café", null, false },
        { "hello", null, true },
        { "aa", null, true },
        { "café", null, true },
        { "KEY=", null, true },
        { null, @"key=\d+", false },
        { null, @"ready \d+ MiB", false },
        { null, @"ab+c?", false },
        { null, @"a+", false },
        { null, @"He(L|l)+o\s\w*", false },
        { null, @"hello w\w+", true },
        { null, @"key=\d{2,}", true },
        { null, @"\d{3,}", false },
        { null, @"[A-Z][a-z]+", false },
        { null, @"(?<=key=)\d+", false },
        { null, @"\bhello\b", false },
        { null, @"a|key", false },
        { null, @"(?i)hello", false },
        { null, @"x*", false },
        { null, @"^.", false },
        { null, @"caf\u00c3\u00a9", false },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Finds_the_same_matches_as_before(string? text, string? pattern, bool ignoreCase)
    {
        foreach (var context in new[] { 0, 7, 40 })
        {
            var query = new MemorySearchQuery { Text = text, Pattern = pattern, IgnoreCase = ignoreCase, Context = context, MaxMatches = 100000 };
            var expected = ReferenceMemorySearch.Search(_cp.Open(), query, Ct);
            expected.Matches.ShouldNotBeEmpty();
            foreach (var chunk in new[] { 1000, 1337, Ps, 3 * Ps, 1 << 21 })
                ShouldBeSame(MemorySearch.Search(_cp.Open(), query, chunk, Ct), expected, $"chunk {chunk}, context {context}");
        }
    }

    [Theory]
    [InlineData("key=", null)]
    [InlineData(null, @"key=\d+")]
    [InlineData(null, @"\d{3,}")]
    public void Stops_at_the_same_match_with_the_same_bytes_searched(string? text, string? pattern)
    {
        foreach (var max in new[] { 1, 2, 5, 17, 60 })
        {
            var query = new MemorySearchQuery { Text = text, Pattern = pattern, MaxMatches = max };
            var expected = ReferenceMemorySearch.Search(_cp.Open(), query, Ct);
            expected.Truncated.ShouldBeTrue();
            foreach (var chunk in new[] { 1000, 1337, Ps, 2 * Ps, 1 << 21 })
                ShouldBeSame(MemorySearch.Search(_cp.Open(), query, chunk, Ct), expected, $"max {max}, chunk {chunk}");
        }
    }

    [Fact]
    public void One_process_only()
    {
        var query = new MemorySearchQuery { Pattern = @"key=\d+", Pid = 7 };
        var r = MemorySearch.Search(_cp.Open(), query, Ps, Ct);
        r.Matches.ShouldAllBe(m => m.Pid == 7 && m.Command == "worker");
        ShouldBeSame(r, ReferenceMemorySearch.Search(_cp.Open(), query, Ct), "pid 7");
    }

    [Fact]
    public void A_regex_match_across_chunks_is_found_once_and_whole()
    {
        // Chunks of one page see a quarter page past their end: 900 bytes of 'a' from 300 before the first seam.
        using var cp = new FakeCheckpoint();
        var data = new byte[3 * Ps];
        data.AsSpan(Ps - 300, 900).Fill((byte)'a');
        data.AsSpan(2 * Ps - 10, 20).Fill((byte)'a');
        cp.Process(1, 0, "app").Memory(1, 1, [FakeCheckpoint.Vma(0x10000, 0x20000)], [new(0x10000, 3, Data: data)]);

        foreach (var pattern in new[] { "a+", "aa+", "a{2,}", "[a]+" })
        {
            var r = MemorySearch.Search(cp.Open(), new MemorySearchQuery { Pattern = pattern }, Ps, Ct);
            r.Matches.Select(m => (m.Address, m.Length)).ShouldBe([(0x10000ul + Ps - 300, 900), (0x10000ul + 2 * Ps - 10, 20)], pattern);
        }
    }

    private static void ShouldBeSame(MemorySearchResult actual, MemorySearchResult expected, string what)
    {
        actual.Matches.Select(m => (m.Pid, m.Address, m.Length)).ShouldBe(expected.Matches.Select(m => (m.Pid, m.Address, m.Length)), what);
        actual.Matches.ShouldBe(expected.Matches, what);
        actual.Truncated.ShouldBe(expected.Truncated, what);
        actual.BytesSearched.ShouldBe(expected.BytesSearched, what);
    }
}
