using System.Formats.Tar;
using Shouldly;
using Stasis.Archives;
using Xunit;

namespace Stasis.Tests.Archives;

/// <summary>The fixed-length pieces a streamed export patches in place: a hand-built ustar header and a stored zstd
/// frame, each read by the ordinary readers.</summary>
public sealed class PatchableHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_hand_built_header_is_read_by_TarReader_with_its_fields()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var mtime = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);
        using var tar = new MemoryStream();
        tar.Write(TarHeader.RegularFile("checkpoint/pages-1.img", data.Length, (UnixFileMode)0b110_100_100, 0, 0, mtime));
        tar.Write(data);
        tar.Write(new byte[TarHeader.Padding(data.Length) + 2 * TarHeader.BlockSize]);
        tar.Position = 0;
        using var reader = new TarReader(tar);
        var e = reader.GetNextEntry().ShouldNotBeNull();
        e.Name.ShouldBe("checkpoint/pages-1.img");
        e.EntryType.ShouldBe(TarEntryType.RegularFile);
        e.Length.ShouldBe(data.Length);
        ((int)e.Mode).ShouldBe(0b110_100_100);
        e.ModificationTime.ShouldBe(mtime);
        using var copy = new MemoryStream();
        e.DataStream!.CopyTo(copy);
        copy.ToArray().ShouldBe(data);
        reader.GetNextEntry().ShouldBeNull();
    }

    [Fact]
    public void Sizes_beyond_the_octal_field_use_the_base_256_form_and_keep_the_length()
    {
        var small = TarHeader.RegularFile("a", 5, UnixFileMode.UserRead, 0, 0, DateTimeOffset.UnixEpoch);
        var huge = TarHeader.RegularFile("a", 20L << 30, UnixFileMode.UserRead, 0, 0, DateTimeOffset.UnixEpoch);
        small.Length.ShouldBe(TarHeader.BlockSize);
        huge.Length.ShouldBe(TarHeader.BlockSize);
        huge[124].ShouldBe((byte)0x80);
        TarHeader.Fits(new string('x', 101)).ShouldBeFalse();
        TarHeader.Padding(512).ShouldBe(0);
        TarHeader.Padding(513).ShouldBe(511);
    }

    [Fact]
    public async Task A_stored_frame_concatenates_with_compressed_frames_into_one_stream()
    {
        var header = Enumerable.Range(0, 512).Select(i => (byte)(i * 3)).ToArray();
        var body = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
        using var archive = new MemoryStream();
        var frame = ZstdFrames.Raw(header);
        frame.Length.ShouldBe(ZstdFrames.RawLength(512));
        archive.Write(frame);
        await using (var z = new ZstdCompressStream(archive, leaveOpen: true))
        {
            await z.WriteAsync(body.AsMemory(0, 1000), Ct);
            await z.EndFrameAsync(Ct);
            await z.WriteAsync(body.AsMemory(1000), Ct);
        }
        archive.Position = 0;
        await using var plain = new ZstdDecompressStream(archive, leaveOpen: true);
        using var all = new MemoryStream();
        await plain.CopyToAsync(all, Ct);
        all.ToArray().ShouldBe([.. header, .. body]);
    }
}
