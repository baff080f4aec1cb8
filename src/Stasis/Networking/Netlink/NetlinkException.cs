using System.ComponentModel;

namespace Stasis.Networking.Netlink;

/// <summary>The kernel refused a netlink request (or the socket failed): <see cref="Errno"/> says why.</summary>
internal sealed class NetlinkException(int errno, string what)
    : Exception($"{what}: {new Win32Exception(errno).Message}")
{
    public int Errno { get; } = errno;
}
