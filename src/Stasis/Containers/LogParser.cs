using System.Globalization;

namespace Stasis.Containers;

/// <summary>Parses conmon's k8s-file log lines: "TIMESTAMP STREAM TAG TEXT" where TAG is F (full) or P (partial).</summary>
internal static class LogParser
{
    public static LogLine? Parse(string line)
    {
        var s1 = line.IndexOf(' ');
        if (s1 <= 0) return null;
        var s2 = line.IndexOf(' ', s1 + 1);
        if (s2 < 0) return null;
        var s3 = line.IndexOf(' ', s2 + 1);
        var tag = s3 < 0 ? line[(s2 + 1)..] : line[(s2 + 1)..s3];
        var text = s3 < 0 ? "" : line[(s3 + 1)..];
        if (!DateTimeOffset.TryParse(line[..s1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return null;
        return new LogLine(time, line[(s1 + 1)..s2], text, tag == "P");
    }
}
