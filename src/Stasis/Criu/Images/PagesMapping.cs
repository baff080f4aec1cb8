using System.Runtime.InteropServices;
using Stasis.Interop;

namespace Stasis.Criu.Images;

/// <summary>A pages-N.img mapped read-only into memory, so a search reads the page cache in place instead of copying
/// a gigabyte through read(2) (measured: the copy alone cost more than the whole search does mapped).</summary>
internal sealed unsafe partial class PagesMapping : IDisposable
{
    private const int PROT_READ = 1;
    private const int MAP_PRIVATE = 2;
    private const int MADV_SEQUENTIAL = 2;
    private const int MADV_WILLNEED = 3;

    private byte* _base;

    private PagesMapping(string path, byte* address, long length)
    {
        Path = path;
        _base = address;
        Length = length;
    }

    public string Path { get; }
    public long Length { get; }

    public static PagesMapping Open(string path)
    {
        using var handle = ImageFile.OpenRead(path);
        var length = RandomAccess.GetLength(handle);
        if (length == 0)
            return new PagesMapping(path, null, 0);
        var address = Mmap(null, (nuint)length, PROT_READ, MAP_PRIVATE, (int)handle.DangerousGetHandle(), 0);
        if (address == (void*)-1)
            throw LibcErrno.Exception(Marshal.GetLastPInvokeError(), "mmap", path);
        // Advice only: a cold page cache is read ahead in big sequential requests. Failure changes nothing.
        _ = Madvise(address, (nuint)length, MADV_SEQUENTIAL);
        _ = Madvise(address, (nuint)length, MADV_WILLNEED);
        return new PagesMapping(path, (byte*)address, length);
    }

    /// <summary>Bytes [offset, offset+length) of the file; the caller keeps within <see cref="Length"/>.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_base is null && Length > 0, this);
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + length}) is outside the {Length}-byte file");
        return length == 0 ? default : new ReadOnlySpan<byte>(_base + offset, length);
    }

    public void Dispose()
    {
        if (_base is not null)
        {
            _ = Munmap(_base, (nuint)Length);
            _base = null;
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* addr, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* addr, nuint length, int advice);
}
