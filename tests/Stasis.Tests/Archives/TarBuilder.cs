using System.Formats.Tar;
using System.Text;

namespace Stasis.Tests.Archives;

/// <summary>Builds tarballs in memory from crafted entries, hostile ones included.</summary>
internal static class TarBuilder
{
    public static byte[] Build(params TarEntry[] entries)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries) w.WriteEntry(e);
        }
        return ms.ToArray();
    }

    /// <summary>A one-member ustar archive whose type flag is patched to <paramref name="typeFlag"/> (checksum fixed).</summary>
    public static byte[] WithTypeFlag(string name, char typeFlag)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Ustar, leaveOpen: true))
            w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("abc"u8.ToArray()) });
        var tar = ms.ToArray();
        tar[156] = (byte)typeFlag;
        tar.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in tar.AsSpan(0, 512)) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
        return tar;
    }

    public static PaxTarEntry File(string name, string content = "data", UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode };

    public static PaxTarEntry Dir(string name) =>
        new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 };

    public static PaxTarEntry Symlink(string name, string target) =>
        new(TarEntryType.SymbolicLink, name) { LinkName = target };

    public static PaxTarEntry HardLink(string name, string target) =>
        new(TarEntryType.HardLink, name) { LinkName = target };

    public static PaxTarEntry CharDevice(string name, int major, int minor) =>
        new(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0b110_110_110 };

    public static PaxTarEntry Fifo(string name) =>
        new(TarEntryType.Fifo, name) { Mode = (UnixFileMode)0b110_100_100 };
}
