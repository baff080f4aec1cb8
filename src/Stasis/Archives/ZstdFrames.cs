using System.Buffers.Binary;

namespace Stasis.Archives;

/// <summary>zstd frames written by hand. Frames concatenate (a decoder reads them one after another as one stream),
/// so a frame whose length does not depend on its content can be reserved in a file and filled in later.</summary>
internal static class ZstdFrames
{
    private const int MaxBlockSize = 128 * 1024;

    /// <summary>Bytes a <see cref="Raw"/> frame of <paramref name="contentLength"/> bytes takes.</summary>
    public static int RawLength(int contentLength) => 4 + 1 + 4 + 3 + contentLength;

    /// <summary>One frame holding <paramref name="content"/> stored, not compressed: magic, a header announcing the
    /// content size (4 bytes, single segment, no checksum), one raw last block.</summary>
    public static byte[] Raw(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxBlockSize) throw new ArgumentOutOfRangeException(nameof(content), "A raw frame holds one block of at most 128 KiB.");
        var frame = new byte[RawLength(content.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0xFD2FB528);
        frame[4] = 0b1010_0000; // frame content size in 4 bytes, single segment
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(5), (uint)content.Length);
        var block = 1u | (0u << 1) | ((uint)content.Length << 3); // last block, raw, its size
        frame[9] = (byte)block;
        frame[10] = (byte)(block >> 8);
        frame[11] = (byte)(block >> 16);
        content.CopyTo(frame.AsSpan(12));
        return frame;
    }
}
