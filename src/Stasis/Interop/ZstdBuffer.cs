using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>ZSTD_inBuffer and ZSTD_outBuffer share this layout: pointer, size, position.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZstdBuffer
{
    public void* Data;
    public nuint Size;
    public nuint Pos;
}
