using System.Diagnostics;

namespace Stasis.Util;

/// <summary>STASIS_TRACE=1 prints "+ms label" lines on stderr at the marked points of a call: where the fixed
/// cost of a short command goes, without a profiler. Free when off (one static bool).</summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("STASIS_TRACE") == "1";
    private static readonly long Start = Stopwatch.GetTimestamp();

    public static void Mark(string label)
    {
        if (Enabled) Console.Error.WriteLine($"trace +{Stopwatch.GetElapsedTime(Start).TotalMilliseconds,7:F1} ms {label}");
    }
}
