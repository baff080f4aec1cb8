namespace Stasis.Containers;

/// <summary>A host folder or named volume mounted into a container (-v SOURCE:DEST[:ro]).</summary>
public sealed record VolumeMount
{
    /// <summary>"bind" for a host folder, "volume" for a named volume.</summary>
    public required string Type { get; init; }
    /// <summary>The host folder (bind) or the volume's name (volume).</summary>
    public required string Source { get; init; }
    public required string Destination { get; init; }
    public bool ReadOnly { get; init; }

    public const string Bind = "bind";
    public const string Volume = "volume";

    /// <summary>Parses "-v" values: /host/dir:/ctr/dir[:ro|rw] or NAME:/ctr/dir[:ro|rw].</summary>
    public static VolumeMount Parse(string spec)
    {
        var parts = spec.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw StasisException.Invalid($"invalid volume '{spec}': use HOSTDIR:CTRDIR[:ro] or NAME:CTRDIR[:ro]");
        var ro = false;
        if (parts.Length == 3)
        {
            ro = parts[2] switch
            {
                "ro" => true,
                "rw" => false,
                _ => throw StasisException.Invalid($"invalid volume option '{parts[2]}' in '{spec}': use ro or rw"),
            };
        }
        var dest = parts[1];
        if (!dest.StartsWith('/') || dest.Split('/').Contains(".."))
            throw StasisException.Invalid($"the container path of a volume must be absolute and must not contain '..': {dest}");
        if (dest.TrimEnd('/') is "" or "/proc" or "/sys" or "/dev")
            throw StasisException.Invalid($"cannot mount a volume over {dest}");
        if (parts[0].StartsWith('/'))
            return new VolumeMount { Type = Bind, Source = Path.GetFullPath(parts[0]), Destination = dest, ReadOnly = ro };
        if (parts[0].StartsWith('.'))
            throw StasisException.Invalid($"host folders must be given as absolute paths: {parts[0]}");
        Volumes.VolumeStore.ValidateName(parts[0]);
        return new VolumeMount { Type = Volume, Source = parts[0], Destination = dest, ReadOnly = ro };
    }
}
