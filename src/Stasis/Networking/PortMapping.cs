using System.Globalization;

namespace Stasis.Networking;

/// <summary>A published port: HOSTPORT on the host forwards to CTRPORT in the container (CNI portmap).</summary>
public sealed record PortMapping(int HostPort, int ContainerPort, string Protocol = "tcp")
{
    /// <summary>Parses HOSTPORT:CTRPORT[/tcp|/udp] (as `-p` takes it).</summary>
    public static PortMapping Parse(string text)
    {
        var protocol = "tcp";
        var ports = text;
        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant();
            ports = text[..slash];
        }
        var parts = ports.Split(':');
        if (parts.Length != 2 || protocol is not ("tcp" or "udp")
            || !TryPort(parts[0], out var host) || !TryPort(parts[1], out var container))
            throw StasisException.Invalid($"invalid port mapping '{text}': use HOSTPORT:CTRPORT[/tcp|/udp] with ports 1-65535");
        return new PortMapping(host, container, protocol);
    }

    private static bool TryPort(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    public override string ToString() => $"{HostPort}:{ContainerPort}/{Protocol}";
}
