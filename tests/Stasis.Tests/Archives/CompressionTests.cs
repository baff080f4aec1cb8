using Shouldly;
using Stasis.Archives;
using Xunit;

namespace Stasis.Tests.Archives;

public sealed class CompressionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] SampleData(int size, int seed = 1)
    {
        // Compressible but not trivial: repeated words with random noise.
        var rnd = new Random(seed);
        var data = new byte[size];
        for (var i = 0; i < size; i++) data[i] = (i % 97 < 60) ? (byte)('a' + i % 26) : (byte)rnd.Next(256);
        return data;
    }

    private static byte[] Compress(byte[] data, CompressionKind kind, int level = 0)
    {
        var ms = new MemoryStream();
        using (var c = Compression.OpenCompressing(ms, kind, level, leaveOpen: true)) c.Write(data);
        return ms.ToArray();
    }

    private static byte[] Decompress(Stream input)
    {
        var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(CompressionKind.None)]
    [InlineData(CompressionKind.Gzip)]
    [InlineData(CompressionKind.Zstd)]
    public async Task Detects_each_kind_from_bytes_through_a_non_seekable_stream_without_losing_them(CompressionKind kind)
    {
        var data = SampleData(300_000);
        var compressed = Compress(data, kind);

        var detected = await Compression.OpenDecompressingAsync(new OneWayStream(new MemoryStream(compressed), maxChunk: 3), Ct);

        detected.Kind.ShouldBe(kind);
        Decompress(detected.Stream).ShouldBe(data);
    }

    [Fact]
    public void Detection_uses_magic_bytes_only()
    {
        Compression.Detect([0x28, 0xb5, 0x2f, 0xfd, 0]).ShouldBe(CompressionKind.Zstd);
        Compression.Detect([0x1f, 0x8b, 8]).ShouldBe(CompressionKind.Gzip);
        Compression.Detect("ustar"u8).ShouldBe(CompressionKind.None);
        Compression.Detect([0x28, 0xb5]).ShouldBe(CompressionKind.None); // too short to be zstd
    }

    [Fact]
    public async Task Input_shorter_than_the_magic_is_passed_through()
    {
        var detected = await Compression.OpenDecompressingAsync(new OneWayStream(new MemoryStream([1, 2])), Ct);
        detected.Kind.ShouldBe(CompressionKind.None);
        Decompress(detected.Stream).ShouldBe(new byte[] { 1, 2 });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Zstd_round_trips_with_any_worker_count(int workers)
    {
        var data = SampleData(9 * 1024 * 1024 + 17, seed: workers);
        var ms = new MemoryStream();
        await using (var z = new ZstdCompressStream(ms, level: 3, workers: workers, leaveOpen: true))
        {
            // Uneven write sizes, async path.
            for (var off = 0; off < data.Length;)
            {
                var n = Math.Min(data.Length - off, 12_345 + off % 70_000);
                await z.WriteAsync(data.AsMemory(off, n), Ct);
                off += n;
            }
        }
        ms.Length.ShouldBeLessThan(data.Length);

        ms.Position = 0;
        await using var d = new ZstdDecompressStream(new OneWayStream(ms, maxChunk: 100_000));
        var output = new MemoryStream();
        await d.CopyToAsync(output, 7_777, Ct);
        output.ToArray().ShouldBe(data);
    }

    [Fact]
    public void Zstd_reads_concatenated_frames_as_one_stream()
    {
        var a = SampleData(100_000, 1);
        var b = SampleData(50_000, 2);
        var joined = Compress(a, CompressionKind.Zstd).Concat(Compress(b, CompressionKind.Zstd)).ToArray();

        using var d = new ZstdDecompressStream(new MemoryStream(joined));
        Decompress(d).ShouldBe(a.Concat(b).ToArray());
    }

    [Fact]
    public void Zstd_flush_makes_written_data_readable_before_the_frame_ends()
    {
        var ms = new MemoryStream();
        using var z = new ZstdCompressStream(ms, leaveOpen: true);
        z.Write("hello"u8);
        z.Flush();

        using var d = new ZstdDecompressStream(new MemoryStream(ms.ToArray()));
        var buf = new byte[5];
        d.ReadExactly(buf);
        buf.ShouldBe("hello"u8.ToArray());
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Zstd_reports_a_truncated_stream(double keep)
    {
        var compressed = Compress(SampleData(2_000_000), CompressionKind.Zstd);
        var cut = compressed[..(int)(compressed.Length * keep)];

        using var d = new ZstdDecompressStream(new MemoryStream(cut));
        var e = Should.Throw<InvalidDataException>(() => Decompress(d));
        e.Message.ShouldContain("truncated");
    }

    [Fact]
    public void Zstd_reports_damaged_data()
    {
        var compressed = Compress(SampleData(500_000), CompressionKind.Zstd);
        compressed[compressed.Length / 2] ^= 0x55;

        using var d = new ZstdDecompressStream(new MemoryStream(compressed));
        Should.Throw<InvalidDataException>(() => Decompress(d)).Message.ShouldContain("zstd");
    }

    [Fact]
    public async Task Zstd_async_read_honours_cancellation()
    {
        var compressed = Compress(SampleData(1_000_000), CompressionKind.Zstd);
        await using var d = new ZstdDecompressStream(new MemoryStream(compressed));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(async () => await d.ReadExactlyAsync(new byte[10], cts.Token));
    }

    [Fact]
    public void Zstd_dispose_twice_is_harmless_and_ends_the_frame_once()
    {
        var ms = new MemoryStream();
        var z = new ZstdCompressStream(ms, leaveOpen: true);
        z.Write("abc"u8);
        z.Dispose();
        var length = ms.Length;
        z.Dispose();
        ms.Length.ShouldBe(length);
        Should.Throw<ObjectDisposedException>(() => z.Write("x"u8));
    }

    [Fact]
    public void An_out_of_range_zstd_level_is_refused_clearly()
    {
        var e = Should.Throw<ArgumentOutOfRangeException>(() => Compression.OpenCompressing(new MemoryStream(), CompressionKind.Zstd, level: 99));
        e.Message.ShouldContain("zstd levels run from");
    }

    [Fact]
    public void Zstd_output_is_read_by_the_zstd_cli_and_its_output_by_us()
    {
        using var dir = new TempDir();
        var data = SampleData(3_000_000);
        File.WriteAllBytes(dir.Combine("ours.zst"), Compress(data, CompressionKind.Zstd, level: 5));
        Cli.Run("zstd", "-q", "-d", dir.Combine("ours.zst"), "-o", dir.Combine("ours.out"));
        File.ReadAllBytes(dir.Combine("ours.out")).ShouldBe(data);

        File.WriteAllBytes(dir.Combine("theirs"), data);
        Cli.Run("zstd", "-q", "-T2", "-19", dir.Combine("theirs"), "-o", dir.Combine("theirs.zst"));
        using var d = new ZstdDecompressStream(File.OpenRead(dir.Combine("theirs.zst")));
        Decompress(d).ShouldBe(data);
    }

    [Fact]
    public void Gzip_output_is_read_by_the_gzip_cli_and_its_output_by_us()
    {
        using var dir = new TempDir();
        var data = SampleData(1_000_000);
        File.WriteAllBytes(dir.Combine("ours.gz"), Compress(data, CompressionKind.Gzip, level: 9));
        Cli.Run("gzip", "-d", dir.Combine("ours.gz"));
        File.ReadAllBytes(dir.Combine("ours")).ShouldBe(data);

        File.WriteAllBytes(dir.Combine("theirs"), data);
        Cli.Run("gzip", "-k", dir.Combine("theirs"));
        using var d = Compression.OpenDecompressing(File.OpenRead(dir.Combine("theirs.gz")), CompressionKind.Gzip);
        Decompress(d).ShouldBe(data);
    }
}
