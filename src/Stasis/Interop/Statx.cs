using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>struct statx: the same layout on every architecture, unlike struct stat.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct Statx
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFSOCK = 0xC000;
    public const uint S_IFLNK = 0xA000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFIFO = 0x1000;

    [FieldOffset(0)] public uint Mask;
    [FieldOffset(16)] public uint NLink;
    [FieldOffset(20)] public uint Uid;
    [FieldOffset(24)] public uint Gid;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(112)] public StatxTimestamp ModificationTime;
    [FieldOffset(128)] public uint RdevMajor;
    [FieldOffset(132)] public uint RdevMinor;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;

    public readonly uint FileType => Mode & S_IFMT;
    public readonly bool IsDirectory => FileType == S_IFDIR;
    public readonly bool IsSymlink => FileType == S_IFLNK;
    public readonly bool IsRegular => FileType == S_IFREG;
    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public readonly UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);
}
