using System.Formats.Tar;
using Shouldly;
using Stasis.Archives;
using Stasis.Checkpoints;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Export;

/// <summary>The export's packing of page images during the dump, against a fake dump that writes pages-N.img files
/// piece by piece the way CRIU does (one after another, each growing), then the other images and metadata.</summary>
public sealed class DumpPagesStreamerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * seed + (i >> 9))).ToArray();

    /// <summary>Writes the page images in slices with pauses (so the streamer sees them grow), then the rest.</summary>
    private static async Task FakeDumpAsync(string images, IReadOnlyList<byte[]> pages, CancellationToken ct)
    {
        for (var i = 0; i < pages.Count; i++)
        {
            await using var f = new FileStream(Path.Combine(images, $"pages-{i + 1}.img"), FileMode.CreateNew, FileAccess.Write);
            for (var at = 0; at < pages[i].Length; at += 100_000)
            {
                await f.WriteAsync(pages[i].AsMemory(at, Math.Min(100_000, pages[i].Length - at)), ct);
                await f.FlushAsync(ct);
                await Task.Delay(2, ct);
            }
        }
        await File.WriteAllTextAsync(Path.Combine(images, "inventory.img"), "inv", ct);
        await File.WriteAllTextAsync(Path.Combine(images, "pagemap-1.img"), "map", ct);
    }

    private static void Finish(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "config.dump"), "{}");
        File.WriteAllText(Path.Combine(folder, "spec.dump"), "{}");
        File.WriteAllText(Path.Combine(folder, "stasis.checkpoint.json"), "{}");
    }

    [Theory]
    [InlineData(CompressionKind.Zstd)]
    [InlineData(CompressionKind.None)]
    public async Task Pages_packed_while_the_dump_writes_them_read_back_identically_and_match_the_manifest(CompressionKind kind)
    {
        using var dir = new TempDir();
        var staging = dir.Combine("staging");
        var images = Path.Combine(staging, "checkpoint");
        Directory.CreateDirectory(images);
        // Sizes off the 512-byte grid, and an empty one, to exercise padding.
        byte[][] pages = [Pattern(1_234_567, 7), [], Pattern(700_001, 13)];
        var archive = dir.Combine("a.tar");
        await using (var file = new FileStream(archive, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            using var streamer = new DumpPagesStreamer(file, kind, null);
            streamer.DumpStarting(images);
            await FakeDumpAsync(images, pages, Ct);
            streamer.DumpEnded(succeeded: true);
            // The engine moves the folder into place right after the dump: the streamer must not need the old path.
            var final = dir.Combine("final");
            Directory.Move(staging, final);
            Finish(final);
            var streamed = streamer.TryComplete(Ct);
            streamed.ShouldNotBeNull(streamer.Failure?.ToString());
            streamed.Members.Select(m => m.Path).ShouldBe(["checkpoint/pages-1.img", "checkpoint/pages-2.img", "checkpoint/pages-3.img"]);
            var written = CheckpointArchiveWriter.Finish(final, streamed, null, Ct);
            written.RawBytes.ShouldBeGreaterThan(pages.Sum(p => p.Length));
            await file.FlushAsync(Ct);
            written.ArchiveBytes.ShouldBe(file.Length);
        }

        await using (var input = File.OpenRead(archive))
        {
            var read = CheckpointArchiveReader.Extract(input, dir.Combine("dst"), null, null, null, Ct);
            read.Compression.ShouldBe(kind);
            read.Warnings.ShouldBeEmpty();
        }
        for (var i = 0; i < pages.Length; i++)
            File.ReadAllBytes(dir.Combine("dst", "checkpoint", $"pages-{i + 1}.img")).ShouldBe(pages[i]);
        File.ReadAllText(dir.Combine("dst", "checkpoint", "inventory.img")).ShouldBe("inv");
        File.ReadAllText(dir.Combine("dst", "stasis.manifest")).ShouldContain("  checkpoint/pages-3.img");

        // Plain tar readers (.NET's here; GNU tar and Go's the same way) see ordinary members.
        await using var again = File.OpenRead(archive);
        var plain = await Compression.OpenDecompressingAsync(again, leaveOpen: true, Ct);
        var names = new List<string>();
        using (var reader = new TarReader(plain.Stream))
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        names.Take(3).ShouldBe(["checkpoint/pages-1.img", "checkpoint/pages-2.img", "checkpoint/pages-3.img"]);
        names[^1].ShouldBe("stasis.manifest");
    }

    [Fact]
    public async Task A_page_image_that_changed_after_it_was_packed_gives_the_streaming_up_and_empties_the_file()
    {
        using var dir = new TempDir();
        var images = dir.Combine("checkpoint");
        Directory.CreateDirectory(images);
        var archive = dir.Combine("a.tar.zst");
        await using var file = new FileStream(archive, FileMode.CreateNew, FileAccess.ReadWrite);
        using var streamer = new DumpPagesStreamer(file, CompressionKind.Zstd, null);
        streamer.DumpStarting(images);
        await FakeDumpAsync(images, [Pattern(300_000, 3), Pattern(200_000, 5)], Ct);
        streamer.DumpEnded(succeeded: true);
        // Wait until pages-1 was packed (pages-2 exists, so it counts as complete), then let it grow behind the streamer's back.
        await Task.Delay(200, Ct);
        await File.AppendAllTextAsync(Path.Combine(images, "pages-1.img"), "late", Ct);
        streamer.TryComplete(Ct).ShouldBeNull();
        file.Length.ShouldBe(0);
        file.Position.ShouldBe(0);
    }

    [Fact]
    public async Task A_failed_dump_stops_the_streamer()
    {
        using var dir = new TempDir();
        var images = dir.Combine("checkpoint");
        Directory.CreateDirectory(images);
        await using var file = new FileStream(dir.Combine("a.tar.zst"), FileMode.CreateNew, FileAccess.ReadWrite);
        using var streamer = new DumpPagesStreamer(file, CompressionKind.Zstd, null);
        streamer.DumpStarting(images);
        await File.WriteAllBytesAsync(Path.Combine(images, "pages-1.img"), Pattern(10_000, 3), Ct);
        streamer.DumpEnded(succeeded: false);
        streamer.TryComplete(Ct).ShouldBeNull();
    }

    [Fact]
    public void Gzip_is_not_streamed()
    {
        DumpPagesStreamer.Supports(CompressionKind.Gzip).ShouldBeFalse();
        DumpPagesStreamer.Supports(CompressionKind.Zstd).ShouldBeTrue();
        DumpPagesStreamer.Supports(CompressionKind.None).ShouldBeTrue();
    }
}
