using System.Formats.Tar;
using System.Text;
using Shouldly;
using Stasis.Checkpoints;
using Stasis.IntegrationTests.Infrastructure;
using Xunit;

namespace Stasis.IntegrationTests.Archives;

/// <summary>Damaged, altered and hostile archives are refused before any container exists, and leave nothing behind.</summary>
public sealed class BadArchiveTests
{
    private static CancellationToken Ct => TestRoot.Ct;

    private static async Task<string> GoodArchiveAsync(TestRoot t)
    {
        await t.RunAsync("src", TestRoot.Counter());
        await t.WaitForNumbersAsync("src", 2);
        var file = Path.Combine(t.Dir, "good.tar.zst");
        await t.Engine.CheckpointAndExportAsync("src", new CheckpointOptions { Name = "cp" }, file, null, Ct);
        await t.Engine.RemoveAsync("src", force: true, Ct);
        return file;
    }

    private static async Task RefusedAsync(TestRoot t, string archive, StasisErrorCode code, string words)
    {
        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.ImportCheckpointAsync(archive, new ImportOptions { Name = "victim" }, Ct));
        e.Code.ShouldBe(code, e.Message);
        e.Message.ShouldContain(words, Case.Insensitive);
        (await t.Engine.ListAsync(all: true, Ct)).ShouldBeEmpty();
        var tmp = Path.Combine(t.Dir, "tmp");
        if (Directory.Exists(tmp)) Directory.EnumerateFileSystemEntries(tmp).ShouldBeEmpty();
        Directory.EnumerateDirectories(Path.Combine(t.Dir, "containers")).ShouldBeEmpty();
    }

    private static IEnumerable<(TarEntry, byte[]?)> Same(TarEntry e, byte[]? d) => [(e, d)];

    [Fact]
    public async Task Truncated_and_byte_flipped_archives_are_refused()
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        var bytes = await File.ReadAllBytesAsync(good, Ct);

        var truncated = Path.Combine(t.Dir, "truncated");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)], Ct);
        await RefusedAsync(t, truncated, StasisErrorCode.BadArchive, "truncated");

        var flipped = Path.Combine(t.Dir, "flipped");
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(flipped, copy, Ct);
        await RefusedAsync(t, flipped, StasisErrorCode.BadArchive, "damaged");

        // One flipped byte inside a member, in an archive that is otherwise well-formed.
        var altered = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "altered"), (e, d) =>
        {
            if (e.Name == "checkpoint/pstree.img") d![^1] ^= 1;
            return Same(e, d);
        });
        await RefusedAsync(t, altered, StasisErrorCode.BadArchive, "does not match its sha256");
    }

    [Fact]
    public async Task Members_missing_from_or_absent_against_the_manifest_are_refused()
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        var extra = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "extra"), (e, d) =>
            e.Name == CheckpointLayout.SpecDump ? [(e, d), (new PaxTarEntry(TarEntryType.RegularFile, "checkpoint/extra.img"), "x"u8.ToArray())] : Same(e, d));
        await RefusedAsync(t, extra, StasisErrorCode.BadArchive, "Unexpected member 'checkpoint/extra.img'");

        var missing = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "missing"), (e, d) => e.Name == CheckpointLayout.SpecDump ? [] : Same(e, d));
        await RefusedAsync(t, missing, StasisErrorCode.BadArchive, "Missing member 'spec.dump'");

        var noManifest = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "nomanifest"), (e, d) => e.Name == CheckpointLayout.Manifest ? [] : Same(e, d));
        await RefusedAsync(t, noManifest, StasisErrorCode.BadArchive, "no stasis.manifest");
    }

    [Theory]
    [InlineData("../evil", "climbs out")]
    [InlineData("/etc/evil", "absolute")]
    public async Task Climbing_and_absolute_member_names_are_refused(string name, string words)
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        var bad = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "bad"), (e, d) =>
            e.Name == CheckpointLayout.SpecDump ? [(new PaxTarEntry(TarEntryType.RegularFile, name), "x"u8.ToArray()), (e, d)] : Same(e, d));
        await RefusedAsync(t, bad, StasisErrorCode.BadArchive, words);
    }

    [Fact]
    public async Task Escaping_links_and_devices_are_refused()
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        var link = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "link"), (e, d) =>
            e.Name == CheckpointLayout.SpecDump
                ? [(new PaxTarEntry(TarEntryType.SymbolicLink, "checkpoint/up") { LinkName = "../../../../etc" }, null), (e, d)]
                : Same(e, d));
        await RefusedAsync(t, link, StasisErrorCode.BadArchive, "points outside");

        var device = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "device"), (e, d) =>
            e.Name == CheckpointLayout.SpecDump
                ? [(new PaxTarEntry(TarEntryType.BlockDevice, "checkpoint/disk") { DeviceMajor = 8, DeviceMinor = 0 }, null), (e, d)]
                : Same(e, d));
        await RefusedAsync(t, device, StasisErrorCode.BadArchive, "device");
    }

    [Fact]
    public async Task An_archive_of_another_architecture_is_refused_even_with_a_matching_manifest()
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        var other = CpuArchitecture.Host == "arm64" ? "amd64" : "arm64";
        var foreign = await ArchiveTamper.RewriteAsync(good, Path.Combine(t.Dir, "foreign"), (e, d) =>
        {
            if (e.Name == CheckpointLayout.Metadata)
                d = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(d!).Replace($"\"architecture\": \"{CpuArchitecture.Host}\"", $"\"architecture\": \"{other}\"", StringComparison.Ordinal));
            return Same(e, d);
        }, refreshManifest: true);
        await RefusedAsync(t, foreign, StasisErrorCode.Unsupported, $"made on a {other} machine");
    }

    [Fact]
    public async Task An_archive_whose_image_is_missing_names_the_image_and_how_to_load_it()
    {
        await using var t = await TestRoot.CreateAsync();
        var good = await GoodArchiveAsync(t);
        await t.Engine.RemoveImageAsync("busybox", Ct);
        await RefusedAsync(t, good, StasisErrorCode.NotFound, "busybox");
        var e = await Should.ThrowAsync<StasisException>(() => t.Engine.ImportCheckpointAsync(good, null, Ct));
        e.Message.ShouldContain("stasis image import");
    }
}
