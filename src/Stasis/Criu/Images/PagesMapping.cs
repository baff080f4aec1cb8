using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Stasis.Interop;

namespace Stasis.Criu.Images;

/// <summary>A pages-N.img opened for searching. Each chunk is mapped read-only on its own and unmapped once searched:
/// the page cache is read in place instead of being copied through read(2) (the copy alone cost more than the whole
/// mapped search), and tearing the mappings down is spread over the threads that search instead of one gigabyte
/// being unmapped at the end.</summary>
internal sealed unsafe partial class PagesMapping : IDisposable
{
    private const int PROT_READ = 1;
    private const int MAP_PRIVATE = 2;
    private const int POSIX_FADV_WILLNEED = 3;

    private readonly SafeFileHandle _handle;

    private PagesMapping(string path, SafeFileHandle handle, long length)
    {
        Path = path;
        _handle = handle;
        Length = length;
    }

    public string Path { get; }
    public long Length { get; }

    public static PagesMapping Open(string path)
    {
        var handle = ImageFile.OpenRead(path);
        var length = RandomAccess.GetLength(handle);
        // Advice only: a cold page cache starts reading ahead at once. Failure changes nothing.
        _ = PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, POSIX_FADV_WILLNEED);
        return new PagesMapping(path, handle, length);
    }

    /// <summary>Maps bytes [offset, offset+length) of the file; the caller keeps within <see cref="Length"/> and
    /// disposes the window.</summary>
    public PagesWindow Map(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + length}) is outside the {Length}-byte file");
        if (length == 0)
            return new PagesWindow(null, 0, 0);
        // mmap wants a page-aligned file offset.
        var skip = (int)(offset % Environment.SystemPageSize);
        var size = (nuint)(skip + length);
        var address = Mmap(null, size, PROT_READ, MAP_PRIVATE, (int)_handle.DangerousGetHandle(), offset - skip);
        if (address == (void*)-1)
            throw LibcErrno.Exception(Marshal.GetLastPInvokeError(), "mmap", Path);
        return new PagesWindow((byte*)address, size, skip);
    }

    /// <summary>Bytes [offset, offset+length) read into a new array (a few, for the context of a match).</summary>
    public byte[] Read(long offset, int length)
    {
        var bytes = new byte[length];
        var got = 0;
        while (got < length)
        {
            var n = RandomAccess.Read(_handle, bytes.AsSpan(got), offset + got);
            if (n <= 0)
                throw ImageReader.Damaged(Path, offset + got, "pages file is shorter than its pagemap says");
            got += n;
        }
        return bytes;
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);
}
