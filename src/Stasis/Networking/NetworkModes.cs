namespace Stasis.Networking;

/// <summary>The two network modes that are not a CNI network.</summary>
public static class NetworkModes
{
    /// <summary>Only loopback, in the container's own network namespace.</summary>
    public const string None = "none";
    /// <summary>The host's network namespace, shared.</summary>
    public const string Host = "host";
    /// <summary>The bridge network Stasis provides out of the box.</summary>
    public const string DefaultNetwork = "stasis";

    /// <summary>True when the mode names a CNI network rather than none or host.</summary>
    public static bool IsCni(string mode) => mode is not (None or Host);
}
