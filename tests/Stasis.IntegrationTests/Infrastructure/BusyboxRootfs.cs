using System.Diagnostics;
using System.Formats.Tar;

namespace Stasis.IntegrationTests.Infrastructure;

/// <summary>A flat rootfs tarball made from Debian's busybox-static, built once per test run.</summary>
internal static class BusyboxRootfs
{
    private static readonly Lazy<string> Tarball = new(Build);

    public static string Path => Tarball.Value;

    private static string Build()
    {
        // One file per busybox build, reused by later runs; written aside and renamed so a reader never sees half.
        var bb = new FileInfo("/bin/busybox");
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stasis-it-busybox-{bb.Length}-{bb.LastWriteTimeUtc.Ticks}.tar");
        if (File.Exists(file)) return file;
        var tmp = file + "." + Environment.ProcessId;
        using (var fs = File.Create(tmp))
            Write(fs);
        File.Move(tmp, file, overwrite: true);
        return file;
    }

    private static void Write(Stream fs)
    {
        using var w = new TarWriter(fs, TarEntryFormat.Pax);
        foreach (var dir in new[] { "bin/", "etc/", "proc/", "sys/", "dev/", "root/", "tmp/" })
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = dir == "tmp/" ? (UnixFileMode)0x3FF | UnixFileMode.StickyBit : (UnixFileMode)0x1ED });
        w.WriteEntry("/bin/busybox", "bin/busybox");
        foreach (var applet in Applets().Where(a => a != "busybox"))
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
        Text(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
        Text(w, "etc/group", "root:x:0:\n");
    }

    private static void Text(TarWriter w, string name, string content) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)0x1A4,
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
        });

    private static IEnumerable<string> Applets()
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/busybox", "--list") { RedirectStandardOutput = true })!;
        var list = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        return list;
    }
}
