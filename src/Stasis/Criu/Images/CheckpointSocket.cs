namespace Stasis.Criu.Images;

/// <summary>A socket held by a process of the checkpoint.</summary>
/// <param name="Family">unix, ipv4, ipv6, netlink or packet.</param>
/// <param name="Type">stream, dgram, seqpacket, raw.</param>
/// <param name="Protocol">tcp, udp, udplite or the number; empty for unix sockets.</param>
/// <param name="State">The kernel's state name: LISTEN, ESTABLISHED, CLOSE, …</param>
/// <param name="Path">The unix socket's name (abstract names start with @).</param>
public sealed record CheckpointSocket(
    int Pid,
    int Fd,
    string Family,
    string Type,
    string Protocol,
    string State,
    string? LocalAddress = null,
    int? LocalPort = null,
    string? RemoteAddress = null,
    int? RemotePort = null,
    string? Path = null,
    uint Inode = 0);
