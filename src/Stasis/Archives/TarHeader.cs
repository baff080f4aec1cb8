using System.Buffers.Binary;
using System.Text;

namespace Stasis.Archives;

/// <summary>A ustar header block for a regular file, built by hand because its size must be fixed (512 bytes,
/// whatever the file's size) when it is patched into an archive after the member's data was already written.</summary>
internal static class TarHeader
{
    public const int BlockSize = 512;

    /// <summary>Largest size the 11 octal digits hold; bigger ones use the base-256 form GNU tar, Go and .NET read.</summary>
    private const long MaxOctalSize = (1L << 33) - 1;

    /// <summary>True when <paramref name="name"/> fits the 100-byte name field as plain ASCII.</summary>
    public static bool Fits(string name) => name.Length is > 0 and <= 100 && name.All(c => c is > ' ' and < (char)127);

    public static byte[] RegularFile(string name, long size, UnixFileMode mode, int uid, int gid, DateTimeOffset modified)
    {
        if (!Fits(name)) throw new ArgumentException($"'{name}' does not fit a ustar name field.", nameof(name));
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var h = new byte[BlockSize];
        Encoding.ASCII.GetBytes(name, h.AsSpan(0, 100));
        Octal(h.AsSpan(100, 8), (long)mode & 0xFFF);
        Octal(h.AsSpan(108, 8), uid);
        Octal(h.AsSpan(116, 8), gid);
        if (size <= MaxOctalSize) Octal(h.AsSpan(124, 12), size);
        else
        {
            h[124] = 0x80;
            BinaryPrimitives.WriteInt64BigEndian(h.AsSpan(128, 8), size);
        }
        Octal(h.AsSpan(136, 12), Math.Max(0, modified.ToUnixTimeSeconds()));
        h[156] = (byte)'0';
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        // The checksum is the byte sum with its own field read as spaces.
        h.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in h) sum += b;
        Octal(h.AsSpan(148, 7), sum);
        h[155] = (byte)' ';
        return h;
    }

    /// <summary>Zero bytes that follow <paramref name="size"/> bytes of data up to the next block.</summary>
    public static int Padding(long size) => (int)((BlockSize - size % BlockSize) % BlockSize);

    /// <summary>Right-aligned, zero-filled octal digits and a closing NUL.</summary>
    private static void Octal(Span<byte> field, long value)
    {
        var digits = field.Length - 1;
        for (var i = digits - 1; i >= 0; i--, value >>= 3) field[i] = (byte)('0' + (value & 7));
        if (value != 0) throw new ArgumentOutOfRangeException(nameof(value), "The value does not fit its tar header field.");
        field[digits] = 0;
    }
}
