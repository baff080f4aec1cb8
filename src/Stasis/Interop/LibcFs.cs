using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>File-system calls .NET does not expose: lstat's device numbers (overlay whiteouts are 0:0 character
/// devices) and mknod to make them.</summary>
internal static partial class LibcFs
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFCHR = 0x2000;

    /// <summary>struct stat on x86_64 Linux (144 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong Dev;
        public ulong Ino;
        public ulong Nlink;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        private int _pad0;
        public ulong Rdev;
        public long Size;
        public long BlkSize;
        public long Blocks;
        public long ATimeSec;
        public long ATimeNsec;
        public long MTimeSec;
        public long MTimeNsec;
        public long CTimeSec;
        public long CTimeNsec;
        private long _reserved0;
        private long _reserved1;
        private long _reserved2;
    }

    [LibraryImport("libc", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LStat(string path, out Stat buf);

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkNod(string path, uint mode, ulong dev);

    /// <summary>True for an overlayfs whiteout: a character device with device number 0:0.</summary>
    public static bool IsWhiteout(string path) =>
        LStat(path, out var st) == 0 && (st.Mode & S_IFMT) == S_IFCHR && st.Rdev == 0;

    public static void MakeWhiteout(string path)
    {
        if (MkNod(path, S_IFCHR | 0, 0) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot create whiteout {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
