using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>Turns a failed libc call into an IOException whose HResult is the errno, the same
/// convention .NET's own file APIs follow on Unix, so callers can test for ENOSPC once.</summary>
internal static class LibcErrno
{
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;
    public const int EDQUOT = 122;

    public static IOException Exception(int errno, string operation, string path) =>
        new($"{operation} '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    public static void ThrowIfFailed(int rc, string operation, string path)
    {
        if (rc != 0) throw Exception(Marshal.GetLastPInvokeError(), operation, path);
    }

    /// <summary>True when the exception means the disk or quota is full.</summary>
    public static bool IsNoSpace(Exception e) => e is IOException { HResult: ENOSPC or EDQUOT };
}
