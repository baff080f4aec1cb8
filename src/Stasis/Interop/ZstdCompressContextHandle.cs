using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Owns a ZSTD_CCtx; the runtime guarantees a single free.</summary>
internal sealed class ZstdCompressContextHandle : SafeHandle
{
    public ZstdCompressContextHandle() : base(nint.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LibZstd.FreeCCtx(handle);
        return true;
    }
}
