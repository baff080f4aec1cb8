using System.Formats.Tar;
using Shouldly;
using Stasis.Archives;
using Xunit;
using static Stasis.Tests.Archives.TarBuilder;

namespace Stasis.Tests.Archives;

/// <summary>Every hostile archive is refused with BadArchive, leaves no target and no temp folder behind,
/// and changes nothing outside.</summary>
public sealed class HostileTarTests : IDisposable
{
    private const string SentinelText = "original sentinel";
    private readonly TempDir _dir = new();
    private readonly string _parent;
    private readonly string _target;
    private readonly string _sentinel;

    public HostileTarTests()
    {
        // work/outside/sentinel and work/a/b/parent/rootfs: deep enough that "../" chains can reach the sentinel.
        _sentinel = _dir.Combine("outside", "sentinel");
        Directory.CreateDirectory(Path.GetDirectoryName(_sentinel)!);
        System.IO.File.WriteAllText(_sentinel, SentinelText);
        _parent = _dir.Combine("a", "b", "parent");
        Directory.CreateDirectory(_parent);
        _target = Path.Combine(_parent, "rootfs");
    }

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<StasisException> RefusedAsync(byte[] tar, string memberInMessage, TarExtractOptions? options = null)
    {
        var before = Snapshot();
        var e = await Should.ThrowAsync<StasisException>(() =>
            SafeTarExtractor.ExtractAsync(new OneWayStream(new MemoryStream(tar)), _target, options, Ct));
        e.Code.ShouldBe(StasisErrorCode.BadArchive);
        e.Message.ShouldContain(memberInMessage);
        Directory.Exists(_target).ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(_parent).ShouldBeEmpty(); // no stray temp folder
        System.IO.File.ReadAllText(_sentinel).ShouldBe(SentinelText);
        Snapshot().ShouldBe(before); // nothing appeared or vanished anywhere around
        return e;
    }

    private string[] Snapshot() =>
        Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Dot_dot_escape_is_refused()
    {
        var e = await RefusedAsync(Build(File("ok"), File("../../../outside/sentinel", "pwned")), "../../../outside/sentinel");
        e.Message.ShouldContain("climbs out");
    }

    [Fact]
    public async Task Dot_dot_inside_a_longer_name_that_climbs_out_is_refused() =>
        await RefusedAsync(Build(Dir("x/"), File("x/../../evil", "pwned")), "x/../../evil");

    [Fact]
    public async Task Absolute_member_name_is_refused()
    {
        var e = await RefusedAsync(Build(File(_sentinel, "pwned")), _sentinel);
        e.Message.ShouldContain("absolute");
    }

    [Fact]
    public async Task Symlink_escaping_the_tree_is_refused_before_anything_is_written_through_it()
    {
        var e = await RefusedAsync(
            Build(Symlink("escape", "../../../../outside"), File("escape/sentinel", "pwned")),
            "escape");
        e.Message.ShouldContain("points outside");
    }

    [Fact]
    public async Task File_written_through_an_absolute_symlink_is_refused()
    {
        // Under rootfs semantics the link itself is legal; following it on the host would hit the sentinel.
        var e = await RefusedAsync(
            Build(Symlink("host", Path.GetDirectoryName(_sentinel)!), File("host/sentinel", "pwned")),
            "host/sentinel");
        e.Message.ShouldContain("symlink");
    }

    [Fact]
    public async Task Member_below_a_symlinked_directory_inside_the_tree_is_refused() =>
        await RefusedAsync(Build(Dir("real/"), Symlink("alias", "real"), File("alias/x", "data")), "alias/x");

    [Fact]
    public async Task Absolute_symlink_target_is_refused_in_strict_mode()
    {
        var e = await RefusedAsync(Build(Symlink("bin", "/usr/bin")), "bin", new TarExtractOptions { StrictSymlinks = true });
        e.Message.ShouldContain("absolute");
    }

    [Fact]
    public async Task Hardlink_to_a_path_outside_is_refused() =>
        await RefusedAsync(Build(HardLink("h", "../../../outside/sentinel")), "h");

    [Fact]
    public async Task Hardlink_to_an_absolute_host_path_is_refused() =>
        await RefusedAsync(Build(HardLink("passwd", _sentinel)), "passwd");

    [Fact]
    public async Task Hardlink_to_a_member_not_yet_extracted_is_refused()
    {
        var e = await RefusedAsync(Build(HardLink("h", "later"), File("later")), "h");
        e.Message.ShouldContain("not a file extracted earlier");
    }

    [Fact]
    public async Task Device_node_is_refused_unless_allowed()
    {
        var e = await RefusedAsync(Build(File("ok"), CharDevice("dev/mem", 1, 1)), "dev/mem");
        e.Message.ShouldContain("device");
    }

    [Fact]
    public async Task Fifo_is_refused_unless_allowed() =>
        await RefusedAsync(Build(Fifo("pipe")), "pipe");

    [Fact]
    public async Task Unknown_entry_type_is_refused()
    {
        var e = await RefusedAsync(WithTypeFlag("oddity", 'Z'), "oddity");
        e.Message.ShouldContain("not supported");
    }

    [Theory]
    [InlineData(0.3)]   // inside the first header
    [InlineData(0.55)]  // inside the big member's data
    public async Task Truncated_archive_is_refused(double keep)
    {
        var tar = Build(File("small", "x"), File("big", new string('z', 100_000)), File("last"));
        var e = await RefusedAsync(tar[..(int)(tar.Length * keep)], "");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task Archive_cut_exactly_between_members_is_refused()
    {
        var whole = Build(File("first", new string('a', 1000)));
        // Drop the end-of-archive zero blocks, and the padding would leave a clean 512-byte boundary.
        var cut = whole.AsSpan(0, whole.Length).ToArray();
        var end = cut.Length;
        while (end >= 512 && cut.AsSpan(end - 512, 512).IndexOfAnyExcept((byte)0) < 0) end -= 512;
        var e = await RefusedAsync(cut[..end], "");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task Truncated_zstd_compressed_archive_is_refused()
    {
        var tar = Build(File("a", new string('q', 200_000)), File("b", "b"));
        var ms = new MemoryStream();
        await using (var z = new ZstdCompressStream(ms, leaveOpen: true)) await z.WriteAsync(tar, Ct);
        var e = await RefusedAsync(ms.ToArray()[..(int)(ms.Length / 2)], "");
        e.Message.ShouldContain("truncated");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.97)]
    public async Task Truncated_gzip_compressed_archive_is_refused(double keep)
    {
        // GZipStream itself ends quietly on a cut stream; the tar checks must still notice.
        var random = new byte[300_000];
        new Random(5).NextBytes(random);
        var tar = Build(new PaxTarEntry(TarEntryType.RegularFile, "noise") { DataStream = new MemoryStream(random) }, File("b", "b"));
        var ms = new MemoryStream();
        await using (var gz = Compression.OpenCompressing(ms, CompressionKind.Gzip, leaveOpen: true)) await gz.WriteAsync(tar, Ct);
        var e = await RefusedAsync(ms.ToArray()[..(int)(ms.Length * keep)], "");
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public async Task Hostile_member_inside_a_gzip_stream_is_refused()
    {
        var ms = new MemoryStream();
        await using (var gz = Compression.OpenCompressing(ms, CompressionKind.Gzip, leaveOpen: true))
            await gz.WriteAsync(Build(File("../escape")), Ct);
        await RefusedAsync(ms.ToArray(), "../escape");
    }

    [Fact]
    public async Task A_file_replacing_an_extracted_folder_is_refused() =>
        await RefusedAsync(Build(Dir("etc/"), File("etc/passwd"), File("etc", "flat")), "etc");

    [Fact]
    public async Task Hardlink_to_a_folder_is_refused() =>
        await RefusedAsync(Build(Dir("d/"), HardLink("h", "d")), "h");

    [Fact]
    public async Task Garbage_is_refused()
    {
        var garbage = new byte[5000];
        new Random(7).NextBytes(garbage);
        garbage[0] = (byte)'x'; // not a compression magic
        await RefusedAsync(garbage, "");
    }
}
