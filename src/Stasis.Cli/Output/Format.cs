using System.Globalization;

namespace Stasis.Cli.Output;

/// <summary>Human-friendly sizes and times.</summary>
internal static class Format
{
    public static string Size(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double v = bytes;
        var u = 0;
        while (v >= 1000 && u < units.Length - 1) { v /= 1000; u++; }
        return u == 0 ? $"{bytes} B" : v.ToString(v >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[u];
    }

    public static string Ago(DateTimeOffset time)
    {
        var d = DateTimeOffset.UtcNow - time;
        if (d.TotalSeconds < 60) return $"{Math.Max(0, (int)d.TotalSeconds)} seconds ago";
        if (d.TotalMinutes < 60) return $"{(int)d.TotalMinutes} minutes ago";
        if (d.TotalHours < 48) return $"{(int)d.TotalHours} hours ago";
        return $"{(int)d.TotalDays} days ago";
    }

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Us(ulong microseconds) => (microseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Id(string id) => id.Length > 12 ? id[..12] : id;
}
