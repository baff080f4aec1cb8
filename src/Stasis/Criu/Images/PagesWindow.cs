using System.Runtime.InteropServices;

namespace Stasis.Criu.Images;

/// <summary>One stretch of a pages file mapped read-only (<see cref="PagesMapping.Map"/>); unmapped on dispose.</summary>
internal sealed unsafe partial class PagesWindow : IDisposable
{
    private byte* _address;
    private readonly nuint _size;
    private readonly int _skip;

    /// <param name="skip">Bytes mapped before the first one asked for, to start the mapping on a page boundary.</param>
    public PagesWindow(byte* address, nuint size, int skip)
    {
        _address = address;
        _size = size;
        _skip = skip;
    }

    public ReadOnlySpan<byte> Span
    {
        get
        {
            if (_size == 0)
                return default;
            ObjectDisposedException.ThrowIf(_address is null, this);
            return new ReadOnlySpan<byte>(_address + _skip, (int)_size - _skip);
        }
    }

    public void Dispose()
    {
        if (_address is not null)
        {
            _ = Munmap(_address, _size);
            _address = null;
        }
    }

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(void* addr, nuint length);
}
