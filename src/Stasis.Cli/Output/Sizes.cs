using System.Globalization;

namespace Stasis.Cli.Output;

/// <summary>Human sizes (KiB, MiB, …) for tables and trees.</summary>
internal static class Sizes
{
    public static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? $"{bytes:0} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes:0.0} {units[u]}");
    }

    public static string Bytes(long bytes) => Bytes((double)bytes);
    public static string Bytes(ulong bytes) => Bytes((double)bytes);
}
