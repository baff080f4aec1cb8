using System.Security.Cryptography;
using Shouldly;
using Stasis.Archives;
using Xunit;

namespace Stasis.Tests.Archives;

public sealed class IntegrityManifestTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _cp;

    public IntegrityManifestTests()
    {
        // A checkpoint-like folder.
        _cp = _dir.Combine("cp");
        Directory.CreateDirectory(Path.Combine(_cp, "checkpoint"));
        var pages = new byte[5 * 1024 * 1024];
        new Random(11).NextBytes(pages);
        File.WriteAllBytes(Path.Combine(_cp, "checkpoint", "pages-1.img"), pages);
        File.WriteAllText(Path.Combine(_cp, "checkpoint", "inventory.img"), "inv");
        File.WriteAllText(Path.Combine(_cp, "config.dump"), "{\"id\":\"abc\"}");
        File.WriteAllText(Path.Combine(_cp, "spec.dump"), "{}");
        File.WriteAllBytes(Path.Combine(_cp, "empty file"), []);
    }

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ManifestPath => Path.Combine(_cp, IntegrityManifest.FileName);

    [Fact]
    public async Task The_written_manifest_lists_every_file_sorted_with_size_and_sha256_but_not_itself()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);

        var lines = File.ReadAllLines(ManifestPath);
        lines.Select(l => l[66..].Split("  ", 2)[1]).ShouldBe(["checkpoint/inventory.img", "checkpoint/pages-1.img", "config.dump", "empty file", "spec.dump"]);
        var pages = File.ReadAllBytes(Path.Combine(_cp, "checkpoint", "pages-1.img"));
        lines[1].ShouldBe($"{Convert.ToHexStringLower(SHA256.HashData(pages))}  {pages.Length}  checkpoint/pages-1.img");
        (await IntegrityManifest.VerifyAsync(_cp, null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Altered_content_of_the_same_size_is_caught_by_name()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);
        await using (var f = File.OpenWrite(Path.Combine(_cp, "checkpoint", "pages-1.img")))
        {
            f.Position = 4_000_000;
            f.WriteByte(0x5a);
        }

        var problems = await IntegrityManifest.VerifyAsync(_cp, null, Ct);
        problems.ShouldHaveSingleItem().ShouldContain("'checkpoint/pages-1.img' does not match its sha256");
    }

    [Fact]
    public async Task A_size_change_is_reported_with_both_sizes()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);
        File.AppendAllText(Path.Combine(_cp, "config.dump"), "x");

        (await IntegrityManifest.VerifyAsync(_cp, null, Ct)).ShouldHaveSingleItem().ShouldContain("'config.dump' has 13 bytes, stasis.manifest says 12");
    }

    [Fact]
    public async Task Missing_and_extra_members_are_each_reported()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);
        File.Delete(Path.Combine(_cp, "spec.dump"));
        File.WriteAllText(Path.Combine(_cp, "checkpoint", "intruder.img"), "x");
        File.CreateSymbolicLink(Path.Combine(_cp, "link"), "/etc/passwd");

        var problems = await IntegrityManifest.VerifyAsync(_cp, null, Ct);

        problems.Count.ShouldBe(3);
        problems.ShouldContain(p => p.Contains("Missing member 'spec.dump'"));
        problems.ShouldContain(p => p.Contains("Unexpected member 'checkpoint/intruder.img'"));
        problems.ShouldContain(p => p.Contains("Unexpected member 'link'"));
    }

    [Fact]
    public async Task A_missing_manifest_is_a_problem_and_verify_or_throw_raises_bad_archive()
    {
        (await IntegrityManifest.VerifyAsync(_cp, null, Ct)).ShouldHaveSingleItem().ShouldContain("stasis.manifest is missing");
        var e = await Should.ThrowAsync<StasisException>(() => IntegrityManifest.VerifyOrThrowAsync(_cp, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
    }

    [Theory]
    [InlineData("not a manifest line")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  12  ../../etc/shadow")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  12  /etc/shadow")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  -1  config.dump")]
    [InlineData("ZZ00000000000000000000000000000000000000000000000000000000000000  12  config.dump")]
    public async Task A_damaged_or_hostile_manifest_is_a_bad_archive(string line)
    {
        File.WriteAllText(ManifestPath, line + "\n");
        var e = await Should.ThrowAsync<StasisException>(() => IntegrityManifest.VerifyAsync(_cp, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("stasis.manifest is damaged");
    }

    [Fact]
    public async Task Export_and_import_check_the_manifest_from_digests_taken_while_extracting()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);
        var archive = new MemoryStream();
        await using (var z = Compression.OpenCompressing(archive, CompressionKind.Zstd, leaveOpen: true))
            await TarDirectoryWriter.WriteAsync(_cp, z, null, Ct);

        var options = new TarExtractOptions
        {
            StrictSymlinks = true,
            ComputeFileDigests = true,
            Validate = (root, result, ct) => new ValueTask(IntegrityManifest.VerifyOrThrowAsync(root, result.Files, ct)),
        };
        archive.Position = 0;
        await SafeTarExtractor.ExtractAsync(archive, _dir.Combine("imported"), options, Ct);
        (await IntegrityManifest.VerifyAsync(_dir.Combine("imported"), null, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_archive_altered_in_transit_is_refused_on_import_and_nothing_is_kept()
    {
        await IntegrityManifest.WriteAsync(_cp, Ct);
        var tar = new MemoryStream();
        await TarDirectoryWriter.WriteAsync(_cp, tar, null, Ct);
        var bytes = tar.ToArray();
        // Flip a byte inside the page file's data: the tar stays well-formed, only the manifest can tell.
        var at = bytes.AsSpan().IndexOf("inv"u8);
        bytes[at] = (byte)'X';

        var options = new TarExtractOptions
        {
            ComputeFileDigests = true,
            Validate = (root, result, ct) => new ValueTask(IntegrityManifest.VerifyOrThrowAsync(root, result.Files, ct)),
        };
        var e = await Should.ThrowAsync<StasisException>(() => SafeTarExtractor.ExtractAsync(new MemoryStream(bytes), _dir.Combine("imported"), options, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain("checkpoint/inventory.img");
        Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).ShouldBe(["cp"]);
    }
}
