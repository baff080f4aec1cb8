using System.Formats.Tar;
using Stasis.Archives;

namespace Stasis.Images;

/// <summary>Reads an image archive (OCI layout or docker-archive tar; plain, gzip or zstd) in one streaming pass.
/// Both formats put their index after the blobs it names, so every member that looks like a tar (plain, gzip or
/// zstd) is unpacked into a staging folder as it streams by, hashed on the way (blob digest and diff id); small
/// members are kept in memory. Which members are the layers is decided afterwards from the metadata.</summary>
internal static class ImageArchiveScanner
{
    /// <summary>Largest non-layer member kept in memory; image metadata is a few KiB.</summary>
    public const int MaxMetadataSize = 16 << 20;

    private const int BlockSize = 512;
    private const int BufferSize = 1 << 20;

    public static async Task<ImageArchive> ScanAsync(Stream input, string stagingRoot, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        Directory.CreateDirectory(stagingRoot);
        var archive = new ImageArchive(stagingRoot);
        try
        {
            var detected = await Compression.OpenDecompressingAsync(input, leaveOpen: true, ct).ConfigureAwait(false);
            await using var outer = detected.Stream;
            await using var reader = new TarReader(outer, leaveOpen: true);
            var index = 0;
            while (await NextAsync(reader, ct).ConfigureAwait(false) is { } entry)
            {
                if (!TarPaths.TryNormalize(entry.Name, out var name, out var reason))
                    throw StasisException.BadArchive($"The image archive has an unusable member '{entry.Name}': {reason}.");
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        archive.Add(await ReadMemberAsync(entry, name, Path.Combine(stagingRoot, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture)), ct).ConfigureAwait(false));
                        break;
                    case TarEntryType.SymbolicLink:
                        var dir = name.LastIndexOf('/') is var s and >= 0 ? name[..s] : "";
                        var link = entry.LinkName.StartsWith('/') ? entry.LinkName : (dir.Length == 0 ? "" : dir + "/") + entry.LinkName;
                        if (TarPaths.TryNormalize(link.TrimStart('/'), out var target, out _)) archive.AddLink(name, target);
                        break;
                    case TarEntryType.HardLink:
                        if (TarPaths.TryNormalize(entry.LinkName.TrimStart('/'), out var linked, out _)) archive.AddLink(name, linked);
                        break;
                    // Folders and anything else carry nothing an image needs.
                }
            }
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static async Task<TarEntry?> NextAsync(TarReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw StasisException.BadArchive($"This is not an image archive, or it is damaged: {e.Message}", e);
        }
    }

    private static async Task<ArchiveMember> ReadMemberAsync(TarEntry entry, string name, string stagingDir, CancellationToken ct)
    {
        await using var hashing = new HashingStream(entry.DataStream ?? Stream.Null, leaveOpen: true);
        var head = new byte[BlockSize];
        var got = await hashing.ReadAtLeastAsync(head, BlockSize, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (!LooksLikeLayer(head.AsSpan(0, got)))
        {
            byte[]? content = null;
            if (entry.Length <= MaxMetadataSize)
            {
                content = new byte[entry.Length];
                head.AsSpan(0, got).CopyTo(content);
                await hashing.ReadExactlyAsync(content.AsMemory(got), ct).ConfigureAwait(false);
            }
            await DrainAsync(hashing, ct).ConfigureAwait(false);
            return new ArchiveMember { Name = name, Sha256 = hashing.GetSha256Hex(), Size = hashing.BytesHashed, Content = content };
        }

        Directory.CreateDirectory(stagingDir);
        StagedLayer? layer = null;
        StasisException? error = null;
        try
        {
            var options = new TarExtractOptions { AllowDevices = true, EntryHandler = OciWhiteouts.Handler };
            await using var replay = new PrefixedReadStream(head.AsMemory(0, got), hashing, leaveOpen: true);
            var r = await SafeTarExtractor.ExtractAsync(replay, Path.Combine(stagingDir, "diff"), options, ct).ConfigureAwait(false);
            layer = new StagedLayer(stagingDir, r.Sha256, r.Size, r.Entries);
        }
        catch (StasisException e) when (e.Code == StasisErrorCode.BadArchive)
        {
            // Only an error if an image uses this member; a damaged blob is reported by its digest first.
            error = e;
        }
        // The blob digest covers every byte of the member, also any the decompressor did not need.
        await DrainAsync(hashing, ct).ConfigureAwait(false);
        return new ArchiveMember { Name = name, Sha256 = hashing.GetSha256Hex(), Size = hashing.BytesHashed, Layer = layer, LayerError = error };
    }

    /// <summary>gzip or zstd magic, a ustar header, or the all-zero block of an empty tar.</summary>
    internal static bool LooksLikeLayer(ReadOnlySpan<byte> head)
    {
        if (Compression.Detect(head) != CompressionKind.None) return true;
        if (head.Length < BlockSize) return false;
        return head.Slice(257, 5).SequenceEqual("ustar"u8) || !head.ContainsAnyExcept((byte)0);
    }

    private static async Task DrainAsync(Stream s, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await s.ReadAsync(buffer, ct).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
