using System.Buffers;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;

namespace Stasis.Criu.Images;

/// <summary>Reads whole (small) image files read-only into pooled buffers and parses their entries.</summary>
internal static class ImageFile
{
    /// <summary>Metadata images are small; anything larger is not an image we read whole.</summary>
    private const long MaxImageSize = 256L * 1024 * 1024;

    /// <summary>Opens a file for reading only; a checkpoint is never changed by looking at it.</summary>
    public static SafeFileHandle OpenRead(string path, FileOptions options = FileOptions.None)
        => File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, options);

    /// <summary>All entries of an image; null when the file does not exist.</summary>
    public static List<T>? ReadAll<T>(string path, uint magic, MessageParser<T> parser) where T : class, IMessage<T>
    {
        if (!File.Exists(path))
            return null;
        var buffer = Load(path, out var length);
        try
        {
            var reader = ImageReader.Open(buffer.AsSpan(0, length), path, magic);
            var list = new List<T>();
            while (reader.ReadEntry(parser) is { } e)
                list.Add(e);
            return list;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first entry of a one-entry image (inventory, core, mm, stats…); null when the file does not exist.</summary>
    public static T? ReadSingle<T>(string path, uint magic, MessageParser<T> parser) where T : class, IMessage<T>
    {
        if (!File.Exists(path))
            return null;
        var buffer = Load(path, out var length);
        try
        {
            var reader = ImageReader.Open(buffer.AsSpan(0, length), path, magic);
            return reader.ReadEntry(parser) ?? throw ImageReader.Damaged(path, reader.Offset, $"image holds no {typeof(T).Name} entry");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a whole file into a rented buffer; the caller returns it to the shared pool.</summary>
    public static byte[] Load(string path, out int length)
    {
        using var handle = OpenRead(path);
        var size = RandomAccess.GetLength(handle);
        if (size > MaxImageSize)
            throw ImageReader.Damaged(path, 0, $"image is {size} bytes, too large for a metadata image");
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, (int)size));
        var read = 0;
        while (read < size)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)size - read), read);
            if (n == 0)
                break;
            read += n;
        }
        length = read;
        return buffer;
    }
}
