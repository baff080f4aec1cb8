using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Owns a ZSTD_DCtx; the runtime guarantees a single free.</summary>
internal sealed class ZstdDecompressContextHandle : SafeHandle
{
    public ZstdDecompressContextHandle() : base(nint.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LibZstd.FreeDCtx(handle);
        return true;
    }
}
