using System.Text;
using Stasis.Interop;

namespace Stasis.Tests.Archives;

/// <summary>Builds a tree with every kind of member the archives must keep, and compares trees member by member.</summary>
internal static class SampleTree
{
    public static readonly byte[] BinaryXattr = [0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0x80, 0x00];
    private static readonly DateTimeOffset BaseTime = new(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <param name="devices">Add a FIFO (no root needed).</param>
    public static void Create(string root, bool devices = true, bool binaryXattr = true)
    {
        Directory.CreateDirectory(root);
        Write(root, "etc/hostname", "box\n", 0b110_100_100);
        Write(root, "bin/tool", "#!/bin/sh\necho hi\n", 0b111_101_101);
        Write(root, "bin/suid", "setuid", 0b100_111_101_101); // 04755
        var big = new byte[3 * 1024 * 1024 + 123];
        new Random(3).NextBytes(big);
        Directory.CreateDirectory(Path.Combine(root, "var/lib"));
        File.WriteAllBytes(Path.Combine(root, "var/lib/big.bin"), big);
        Write(root, "name with spaces/ünïcödé.txt", "unicode", 0b110_100_100);
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        LibcFileMode.Chmod(Path.Combine(root, "tmp"), (UnixFileMode)0b001_111_111_111); // 01777
        File.CreateSymbolicLink(Path.Combine(root, "bin/sh"), "/bin/busybox");
        File.CreateSymbolicLink(Path.Combine(root, "etc/rel"), "../bin/tool");
        LibcLinks.HardLink(Path.Combine(root, "bin/tool"), Path.Combine(root, "bin/tool-hardlink"));
        LibcXattr.Set(Path.Combine(root, "etc/hostname"), "user.note", "hello xattr"u8);
        LibcXattr.Set(Path.Combine(root, "empty"), "user.dir", "on a folder"u8);
        // A name too long for a ustar header, so PAX records carry it.
        var longName = "deep/" + new string('n', 120) + "/file-with-a-long-name";
        Write(root, longName, "long", 0b110_100_100);
        if (binaryXattr)
        {
            LibcXattr.Set(Path.Combine(root, "bin/tool"), "user.bin", BinaryXattr);
            LibcXattr.Set(Path.Combine(root, longName), "user.bin2", [.. BinaryXattr, .. BinaryXattr]);
        }
        if (devices) LibcNodes.Create(Path.Combine(root, "var/pipe"), Statx.S_IFIFO, (UnixFileMode)0b110_100_000, 0, 0);
        if (Environment.IsPrivilegedProcess)
        {
            LibcFileOwner.SetOwner(Path.Combine(root, "etc/hostname"), 1234, 5678);
            LibcFileOwner.SetOwner(Path.Combine(root, "etc/rel"), 42, 43);
            if (devices) LibcNodes.Create(Path.Combine(root, "var/null"), Statx.S_IFCHR, (UnixFileMode)0b110_110_110, 1, 3);
        }
        // A read-only folder with content: extraction must still fill it.
        Write(root, "ro/inside", "locked in", 0b100_100_100);
        // Times last, folders after their content.
        var i = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).OrderByDescending(x => x.Length))
            LibcFileTimes.SetModificationTime(path, BaseTime.AddSeconds(i++ * 97));
        LibcFileMode.Chmod(Path.Combine(root, "ro"), (UnixFileMode)0b101_101_101);
    }

    private static void Write(string root, string rel, string content, int mode)
    {
        var full = Path.Combine(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content, new UTF8Encoding(false));
        LibcFileMode.Chmod(full, (UnixFileMode)mode);
    }

    /// <summary>One line per member describing everything a user would notice; equal lists mean equal trees.</summary>
    public static List<string> Describe(string root, bool owners = true, bool xattrs = true)
    {
        var lines = new List<string>();
        var inodes = new Dictionary<ulong, string>();
        foreach (var full in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, full);
            var st = LibcStat.Lstat(full);
            var sb = new StringBuilder($"{rel} type={st.FileType:x} mode={Convert.ToString((int)st.Permissions, 8)} mtime={st.ModificationTime.Seconds}");
            if (owners) sb.Append($" owner={st.Uid}:{st.Gid}");
            if (st.IsRegular)
            {
                sb.Append($" sha={Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(full)))}");
                if (st.NLink > 1)
                {
                    // Hard links: every name of one inode points at the first name seen.
                    if (inodes.TryGetValue(st.Inode, out var first)) sb.Append($" linked-to={first}");
                    else inodes[st.Inode] = rel;
                }
            }
            if (st.IsSymlink) sb.Append($" -> {new FileInfo(full).LinkTarget}");
            if (st.FileType is Statx.S_IFCHR or Statx.S_IFBLK) sb.Append($" dev={st.RdevMajor}:{st.RdevMinor}");
            if (xattrs)
                foreach (var (name, value) in LibcXattr.GetAll(full).Where(x => x.Key.StartsWith("user.", StringComparison.Ordinal)))
                    sb.Append($" {name}={Convert.ToHexString(value)}");
            lines.Add(sb.ToString());
        }
        return lines;
    }
}
