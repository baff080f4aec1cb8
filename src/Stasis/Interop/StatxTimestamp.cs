using System.Runtime.InteropServices;

namespace Stasis.Interop;

/// <summary>struct statx_timestamp.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StatxTimestamp
{
    public long Seconds;
    public uint Nanoseconds;
    private readonly int _reserved;

    public readonly DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.FromUnixTimeSeconds(Seconds).AddTicks(Nanoseconds / 100);
}
