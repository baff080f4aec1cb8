using System.Formats.Tar;
using System.Security.Cryptography;
using Shouldly;
using Stasis.Archives;
using Stasis.Interop;
using Xunit;

namespace Stasis.Tests.Archives;

public sealed class TarRoundTripTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TarExtractOptions Rootfs = new() { AllowDevices = true };

    private async Task<byte[]> WriteTarAsync(string root, TarWriteOptions? options = null)
    {
        var ms = new MemoryStream();
        await TarDirectoryWriter.WriteAsync(root, ms, options, Ct);
        return ms.ToArray();
    }

    [Fact]
    public async Task A_tree_written_and_extracted_again_is_identical()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src);
        var tar = await WriteTarAsync(src);

        var dst = _dir.Combine("dst");
        var result = await SafeTarExtractor.ExtractAsync(new OneWayStream(new MemoryStream(tar), 1000), dst, Rootfs, Ct);

        SampleTree.Describe(dst).ShouldBe(SampleTree.Describe(src));
        result.Size.ShouldBe(tar.Length);
        result.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(tar)));
        result.Digest.ShouldBe("sha256:" + result.Sha256);
        result.Compression.ShouldBe(CompressionKind.None);
        Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order().ShouldBe(["dst", "src"]); // no temp left
    }

    [Fact]
    public async Task Writing_the_same_tree_twice_gives_the_same_bytes()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src);
        var first = await WriteTarAsync(src);
        var second = await WriteTarAsync(src);
        second.ShouldBe(first);
    }

    [Fact]
    public async Task Members_are_written_folder_first_in_ordinal_order_with_hard_links_as_links()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false);
        var tar = await WriteTarAsync(src);

        var names = new List<string>();
        TarEntry? link = null;
        using (var reader = new TarReader(new MemoryStream(tar)))
            while (reader.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
                if (e.EntryType == TarEntryType.HardLink) link = e;
            }

        names.IndexOf("bin/").ShouldBeLessThan(names.IndexOf("bin/sh"));
        names.IndexOf("bin/sh").ShouldBeLessThan(names.IndexOf("bin/suid"));
        link.ShouldNotBeNull();
        link.Name.ShouldBe("bin/tool-hardlink");
        link.LinkName.ShouldBe("bin/tool");
    }

    [Fact]
    public async Task Gnu_tar_extracts_what_we_write()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, binaryXattr: false); // GNU tar reads only SCHILY records
        File.WriteAllBytes(_dir.Combine("ours.tar"), await WriteTarAsync(src));

        var dst = Directory.CreateDirectory(_dir.Combine("dst")).FullName;
        Cli.Run("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", _dir.Combine("ours.tar"), "-C", dst);

        SampleTree.Describe(dst).ShouldBe(SampleTree.Describe(src));
    }

    [Fact]
    public async Task We_extract_what_gnu_tar_writes_binary_xattrs_included()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src);
        Cli.Run("tar", "--format=pax", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-cf", _dir.Combine("theirs.tar"), "-C", src, ".");

        var dst = _dir.Combine("dst");
        await using var input = File.OpenRead(_dir.Combine("theirs.tar"));
        var result = await SafeTarExtractor.ExtractAsync(input, dst, Rootfs, Ct);

        SampleTree.Describe(dst).ShouldBe(SampleTree.Describe(src));
        result.Size.ShouldBe(new FileInfo(_dir.Combine("theirs.tar")).Length);
    }

    [Fact]
    public async Task We_extract_a_zstd_tarball_made_by_the_cli_tools_and_the_digest_is_that_of_the_plain_tar()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false);
        var plain = await WriteTarAsync(src);
        File.WriteAllBytes(_dir.Combine("layer.tar"), plain);
        Cli.Run("zstd", "-q", "-T0", _dir.Combine("layer.tar"), "-o", _dir.Combine("layer.tar.zst"));

        await using var input = new OneWayStream(File.OpenRead(_dir.Combine("layer.tar.zst")));
        var result = await SafeTarExtractor.ExtractAsync(input, _dir.Combine("dst"), null, Ct);

        result.Compression.ShouldBe(CompressionKind.Zstd);
        result.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(plain)));
        result.Size.ShouldBe(plain.Length);
        SampleTree.Describe(_dir.Combine("dst")).ShouldBe(SampleTree.Describe(src));
    }

    [Fact]
    public async Task Gnu_tar_reads_our_zstd_archive_through_a_pipe()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false, binaryXattr: false);
        await using (var file = File.Create(_dir.Combine("out.tar.zst")))
        await using (var z = Compression.OpenCompressing(file, CompressionKind.Zstd))
            await TarDirectoryWriter.WriteAsync(src, z, null, Ct);

        var dst = Directory.CreateDirectory(_dir.Combine("dst")).FullName;
        Cli.Run("tar", "--zstd", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf", _dir.Combine("out.tar.zst"), "-C", dst);
        SampleTree.Describe(dst).ShouldBe(SampleTree.Describe(src));
    }

    [Fact]
    public async Task Paths_and_filters_choose_what_is_written()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false);
        var tar = await WriteTarAsync(src, new TarWriteOptions
        {
            Paths = ["bin", "etc/hostname", "bin/tool"],
            Include = rel => rel != "bin/suid",
            IncludeXattr = name => name != "user.bin",
        });

        var dst = _dir.Combine("dst");
        await SafeTarExtractor.ExtractAsync(new MemoryStream(tar), dst, null, Ct);

        Directory.EnumerateFileSystemEntries(dst, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(dst, p)).Order(StringComparer.Ordinal)
            .ShouldBe(["bin", "bin/sh", "bin/tool", "bin/tool-hardlink", "etc", "etc/hostname"]);
        LibcXattr.GetAll(Path.Combine(dst, "bin/tool")).ShouldNotContain(x => x.Key == "user.bin");
        LibcXattr.GetAll(Path.Combine(dst, "etc/hostname")).ShouldContain(x => x.Key == "user.note");
    }

    [Fact]
    public async Task File_digests_computed_while_writing_and_while_extracting_match_the_content()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false);
        var ms = new MemoryStream();
        var written = await TarDirectoryWriter.WriteAsync(src, ms, new TarWriteOptions { ComputeFileDigests = true }, Ct);
        ms.Position = 0;
        var read = await SafeTarExtractor.ExtractAsync(ms, _dir.Combine("dst"), new TarExtractOptions { ComputeFileDigests = true }, Ct);

        var expected = (await IntegrityManifest.ComputeAsync(src, Ct)).Entries.ToDictionary(e => e.Path, e => new FileDigest(e.Size, e.Sha256));
        written.Files.ShouldNotBeNull().OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(expected.OrderBy(p => p.Key, StringComparer.Ordinal));
        read.Files.ShouldNotBeNull().OrderBy(p => p.Key, StringComparer.Ordinal).ShouldBe(expected.OrderBy(p => p.Key, StringComparer.Ordinal));
        expected["var/lib/big.bin"].Size.ShouldBe(3 * 1024 * 1024 + 123);
    }

    [Fact]
    public async Task A_later_duplicate_member_replaces_the_earlier_one_without_writing_through_links()
    {
        // "b" first becomes a hard link to "a", then a file of its own: "a" must keep its content.
        var tar = TarBuilder.Build(TarBuilder.File("a", "first"), TarBuilder.HardLink("b", "a"), TarBuilder.File("b", "second"),
            TarBuilder.Symlink("c", "a"), TarBuilder.File("c", "third"));
        var dst = _dir.Combine("dst");
        await SafeTarExtractor.ExtractAsync(new MemoryStream(tar), dst, null, Ct);
        File.ReadAllText(Path.Combine(dst, "a")).ShouldBe("first");
        File.ReadAllText(Path.Combine(dst, "b")).ShouldBe("second");
        LibcStat.Lstat(Path.Combine(dst, "c")).IsRegular.ShouldBeTrue();
        File.ReadAllText(Path.Combine(dst, "c")).ShouldBe("third");
    }

    [Fact]
    public async Task Devices_and_fifos_are_created_when_allowed()
    {
        var entries = new List<TarEntry> { TarBuilder.Fifo("run/pipe") };
        if (Environment.IsPrivilegedProcess) entries.Add(TarBuilder.CharDevice("dev/null", 1, 3));
        var dst = _dir.Combine("dst");
        await SafeTarExtractor.ExtractAsync(new MemoryStream(TarBuilder.Build([.. entries])), dst, Rootfs, Ct);
        LibcStat.Lstat(Path.Combine(dst, "run/pipe")).FileType.ShouldBe(Statx.S_IFIFO);
        if (Environment.IsPrivilegedProcess)
        {
            var st = LibcStat.Lstat(Path.Combine(dst, "dev/null"));
            (st.FileType, st.RdevMajor, st.RdevMinor).ShouldBe((Statx.S_IFCHR, 1u, 3u));
        }
    }

    [Fact]
    public async Task An_existing_target_is_refused_and_left_alone()
    {
        var target = Directory.CreateDirectory(_dir.Combine("taken")).FullName;
        File.WriteAllText(Path.Combine(target, "mine"), "keep");
        var e = await Should.ThrowAsync<StasisException>(() =>
            SafeTarExtractor.ExtractAsync(new MemoryStream(TarBuilder.Build(TarBuilder.File("x"))), target, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.Conflict);
        File.ReadAllText(Path.Combine(target, "mine")).ShouldBe("keep");
    }

    [Fact]
    public async Task Extracting_into_an_existing_empty_folder_fills_it_and_a_non_empty_one_is_refused()
    {
        var empty = Directory.CreateDirectory(_dir.Combine("empty")).FullName;
        await SafeTarExtractor.ExtractIntoEmptyAsync(new MemoryStream(TarBuilder.Build(TarBuilder.File("a/b", "hi"))), empty, null, Ct);
        File.ReadAllText(Path.Combine(empty, "a/b")).ShouldBe("hi");

        var e = await Should.ThrowAsync<StasisException>(() =>
            SafeTarExtractor.ExtractIntoEmptyAsync(new MemoryStream(TarBuilder.Build(TarBuilder.File("c"))), empty, null, Ct));
        e.Code.ShouldBe(StasisErrorCode.Conflict);
        File.Exists(Path.Combine(empty, "c")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_entry_handler_can_take_over_members_such_as_whiteouts()
    {
        var tar = TarBuilder.Build(TarBuilder.Dir("etc/"), TarBuilder.File("etc/keep"), TarBuilder.File("etc/.wh.gone", ""));
        var seen = new List<string>();
        var options = new TarExtractOptions
        {
            AllowDevices = true,
            EntryHandler = (ctx, _) =>
            {
                seen.Add(ctx.RelativePath);
                var name = Path.GetFileName(ctx.RelativePath);
                if (!name.StartsWith(".wh.", StringComparison.Ordinal)) return ValueTask.FromResult(false);
                var folder = Path.GetDirectoryName(ctx.RelativePath)!;
                var path = ctx.PrepareTarget(folder + "/" + name[4..]);
                LibcNodes.Create(path, Statx.S_IFIFO, UnixFileMode.UserRead, 0, 0); // stands in for a 0:0 char device
                return ValueTask.FromResult(true);
            },
        };

        var dst = _dir.Combine("dst");
        await SafeTarExtractor.ExtractAsync(new MemoryStream(tar), dst, options, Ct);

        seen.ShouldBe(["etc", "etc/keep", "etc/.wh.gone"]);
        File.Exists(Path.Combine(dst, "etc/.wh.gone")).ShouldBeFalse();
        LibcStat.Lstat(Path.Combine(dst, "etc/gone")).FileType.ShouldBe(Statx.S_IFIFO);
    }

    [Fact]
    public async Task An_entry_handler_cannot_reach_outside_the_tree()
    {
        var options = new TarExtractOptions { EntryHandler = (ctx, _) => { ctx.PrepareTarget("../../escape"); return ValueTask.FromResult(true); } };
        var e = await Should.ThrowAsync<StasisException>(() =>
            SafeTarExtractor.ExtractAsync(new MemoryStream(TarBuilder.Build(TarBuilder.File("x"))), _dir.Combine("dst"), options, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        Directory.EnumerateFileSystemEntries(_dir.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_validation_removes_the_extracted_tree()
    {
        var options = new TarExtractOptions { Validate = (_, _, _) => throw StasisException.BadArchive("manifest mismatch") };
        var e = await Should.ThrowAsync<StasisException>(() =>
            SafeTarExtractor.ExtractAsync(new MemoryStream(TarBuilder.Build(TarBuilder.File("x"))), _dir.Combine("dst"), options, Ct));
        e.Message.ShouldBe("manifest mismatch");
        Directory.EnumerateFileSystemEntries(_dir.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_an_extraction_leaves_nothing_behind()
    {
        var src = _dir.Combine("src");
        SampleTree.Create(src, devices: false);
        var tar = await WriteTarAsync(src);
        using var cts = new CancellationTokenSource();
        var entries = 0;
        var options = new TarExtractOptions
        {
            EntryHandler = (_, _) => { if (++entries == 5) cts.Cancel(); return ValueTask.FromResult(false); },
        };

        await Should.ThrowAsync<OperationCanceledException>(() =>
            SafeTarExtractor.ExtractAsync(new MemoryStream(tar), _dir.Combine("dst"), options, cts.Token));
        Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).ShouldBe(["src"]);
    }

    [Fact]
    public async Task A_full_disk_is_reported_as_no_space_and_leaves_nothing()
    {
        Environment.IsPrivilegedProcess.ShouldBeTrue("mounting a small tmpfs needs root; run the suite as root (scripts/test.sh)");
        var mnt = Directory.CreateDirectory(_dir.Combine("small")).FullName;
        Cli.Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt);
        try
        {
            var big = new byte[2 * 1024 * 1024];
            var tar = TarBuilder.Build(new PaxTarEntry(TarEntryType.RegularFile, "big") { DataStream = new MemoryStream(big) });
            var e = await Should.ThrowAsync<StasisException>(() =>
                SafeTarExtractor.ExtractAsync(new MemoryStream(tar), Path.Combine(mnt, "dst"), null, Ct));
            e.Code.ShouldBe(StasisErrorCode.NoSpace);
            e.Message.ShouldContain("No space");
            Directory.EnumerateFileSystemEntries(mnt).ShouldBeEmpty();
        }
        finally
        {
            Cli.Run("umount", mnt);
        }
    }
}
