using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>The system's libzstd (Debian's libzstd1), streaming API only.</summary>
internal static unsafe partial class LibZstd
{
    private const string Lib = "libzstd.so.1";

    public const int CompressionLevelParameter = 100; // ZSTD_c_compressionLevel
    public const int ChecksumFlagParameter = 201;     // ZSTD_c_checksumFlag
    public const int NbWorkersParameter = 400;        // ZSTD_c_nbWorkers

    public const int EndContinue = 0; // ZSTD_e_continue
    public const int EndFlush = 1;    // ZSTD_e_flush
    public const int EndFrame = 2;    // ZSTD_e_end

    [LibraryImport(Lib, EntryPoint = "ZSTD_createCCtx")]
    public static partial ZstdCompressContextHandle CreateCCtx();

    [LibraryImport(Lib, EntryPoint = "ZSTD_freeCCtx")]
    public static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(Lib, EntryPoint = "ZSTD_CCtx_setParameter")]
    public static partial nuint CCtxSetParameter(ZstdCompressContextHandle cctx, int parameter, int value);

    [LibraryImport(Lib, EntryPoint = "ZSTD_compressStream2")]
    public static partial nuint CompressStream2(ZstdCompressContextHandle cctx, ZstdBuffer* output, ZstdBuffer* input, int endOp);

    [LibraryImport(Lib, EntryPoint = "ZSTD_createDCtx")]
    public static partial ZstdDecompressContextHandle CreateDCtx();

    [LibraryImport(Lib, EntryPoint = "ZSTD_freeDCtx")]
    public static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(Lib, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(ZstdDecompressContextHandle dctx, ZstdBuffer* output, ZstdBuffer* input);

    [LibraryImport(Lib, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(Lib, EntryPoint = "ZSTD_getErrorName")]
    private static partial byte* GetErrorNamePtr(nuint code);

    [LibraryImport(Lib, EntryPoint = "ZSTD_CStreamInSize")]
    public static partial nuint CStreamInSize();

    [LibraryImport(Lib, EntryPoint = "ZSTD_CStreamOutSize")]
    public static partial nuint CStreamOutSize();

    [LibraryImport(Lib, EntryPoint = "ZSTD_DStreamInSize")]
    public static partial nuint DStreamInSize();

    [LibraryImport(Lib, EntryPoint = "ZSTD_DStreamOutSize")]
    public static partial nuint DStreamOutSize();

    [LibraryImport(Lib, EntryPoint = "ZSTD_minCLevel")]
    public static partial int MinCLevel();

    [LibraryImport(Lib, EntryPoint = "ZSTD_maxCLevel")]
    public static partial int MaxCLevel();

    public static string ErrorName(nuint code) => Marshal.PtrToStringUTF8((nint)GetErrorNamePtr(code)) ?? "unknown zstd error";
}
