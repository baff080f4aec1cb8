using System.Formats.Tar;
using Shouldly;
using Stasis.Archives;
using Stasis.Checkpoints;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Export;

/// <summary>The archive writer and reader on a checkpoint-shaped folder: what goes in comes out, checked against the
/// manifest the writer made; anything else is refused and leaves no folder.</summary>
public sealed class ArchiveRoundTripTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void Fill(string folder, bool stasis = true)
    {
        Directory.CreateDirectory(Path.Combine(folder, "checkpoint"));
        File.WriteAllBytes(Path.Combine(folder, "checkpoint", "pages-1.img"), Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());
        File.WriteAllText(Path.Combine(folder, "checkpoint", "inventory.img"), "inv");
        File.WriteAllText(Path.Combine(folder, "config.dump"), "{}");
        File.WriteAllText(Path.Combine(folder, "spec.dump"), "{}");
        if (stasis) File.WriteAllText(Path.Combine(folder, "stasis.checkpoint.json"), "{}");
    }

    [Theory]
    [InlineData(CompressionKind.Zstd)]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.None)]
    public async Task What_is_written_is_read_back_identically_with_the_manifest_last(CompressionKind kind)
    {
        using var dir = new TempDir();
        Fill(dir.Combine("src"));
        var reports = new List<ArchiveProgress>();
        using var archive = new MemoryStream();
        var written = CheckpointArchiveWriter.Write(dir.Combine("src"), archive, kind, new SyncProgress(reports), Ct);
        written.ArchiveBytes.ShouldBe(archive.Length);
        reports.ShouldNotBeEmpty();
        reports[^1].TotalBytes.ShouldBe(CheckpointStore.FolderSize(dir.Combine("src")));

        archive.Position = 0;
        var read = CheckpointArchiveReader.Extract(archive, dir.Combine("dst"), archive.Length, null, null, Ct);
        read.Compression.ShouldBe(kind);
        read.Warnings.ShouldBeEmpty();
        File.ReadAllBytes(dir.Combine("dst", "checkpoint", "pages-1.img")).ShouldBe(File.ReadAllBytes(dir.Combine("src", "checkpoint", "pages-1.img")));
        File.ReadAllText(dir.Combine("dst", "stasis.manifest")).ShouldContain("  checkpoint/pages-1.img");

        archive.Position = 0;
        var names = new List<string>();
        var plain = await Compression.OpenDecompressingAsync(archive, leaveOpen: true, Ct);
        using (var reader = new TarReader(plain.Stream))
            while (reader.GetNextEntry() is { } e) names.Add(e.Name);
        names[0].ShouldBe("config.dump"); // the small members an importer judges the archive by come first
        names[^1].ShouldBe("stasis.manifest");
    }

    [Fact]
    public async Task A_stasis_archive_without_its_manifest_is_refused_and_leaves_no_folder()
    {
        using var dir = new TempDir();
        Fill(dir.Combine("src"));
        using var archive = new MemoryStream();
        await using (var w = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
            await TarDirectoryWriter.WriteAsync(dir.Combine("src"), w, null, Ct);
        archive.Position = 0;
        var e = Should.Throw<StasisException>(() => CheckpointArchiveReader.Extract(archive, dir.Combine("dst"), null, null, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        Directory.Exists(dir.Combine("dst")).ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(dir.Path).Where(p => Path.GetFileName(p).StartsWith('.')).ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_engines_archive_without_a_manifest_is_read_with_a_warning()
    {
        using var dir = new TempDir();
        Fill(dir.Combine("src"), stasis: false);
        using var archive = new MemoryStream();
        await using (var w = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
            await TarDirectoryWriter.WriteAsync(dir.Combine("src"), w, null, Ct);
        archive.Position = 0;
        var read = CheckpointArchiveReader.Extract(archive, dir.Combine("dst"), null, null, null, Ct);
        read.Warnings.ShouldHaveSingleItem().ShouldContain("integrity could not be checked");
    }

    [Fact]
    public async Task The_callers_check_runs_on_the_complete_folder_and_a_refusal_removes_it()
    {
        using var dir = new TempDir();
        Fill(dir.Combine("src"));
        using var archive = new MemoryStream();
        CheckpointArchiveWriter.Write(dir.Combine("src"), archive, CompressionKind.Zstd, null, Ct);
        archive.Position = 0;
        var e = Should.Throw<StasisException>(() => CheckpointArchiveReader.Extract(archive, dir.Combine("dst"), null, null, folder =>
        {
            File.Exists(Path.Combine(folder, "checkpoint", "pages-1.img")).ShouldBeTrue();
            throw StasisException.NotFound("image missing");
        }, Ct));
        e.Message.ShouldBe("image missing");
        Directory.Exists(dir.Combine("dst")).ShouldBeFalse();
    }

    private sealed class SyncProgress(List<ArchiveProgress> into) : IProgress<ArchiveProgress>
    {
        public void Report(ArchiveProgress value) => into.Add(value);
    }
}
