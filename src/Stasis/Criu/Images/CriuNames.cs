using System.Net;
using Stasis.Criu.Proto;

namespace Stasis.Criu.Images;

/// <summary>Turns CRIU's numbers into the names users know (kernel constants, same names as crit and ss show).</summary>
internal static class CriuNames
{
    /// <summary>compel's task states: 1 alive, 2 dead, 3 stopped, 6 zombie.</summary>
    public static string TaskState(uint state) => state switch
    {
        1 => "alive",
        2 => "dead",
        3 => "stopped",
        6 => "zombie",
        _ => $"state-{state}",
    };

    public static string SocketFamily(uint family) => family switch
    {
        1 => "unix",
        2 => "ipv4",
        10 => "ipv6",
        16 => "netlink",
        17 => "packet",
        _ => $"af-{family}",
    };

    public static string SocketType(uint type) => type switch
    {
        1 => "stream",
        2 => "dgram",
        3 => "raw",
        5 => "seqpacket",
        10 => "packet",
        _ => $"type-{type}",
    };

    public static string Protocol(uint proto) => proto switch
    {
        0 => "ip",
        6 => "tcp",
        17 => "udp",
        136 => "udplite",
        _ => $"proto-{proto}",
    };

    /// <summary>The kernel's TCP_* states, which unix sockets and UDP report as well.</summary>
    public static string SocketState(uint state) => state switch
    {
        1 => "ESTABLISHED",
        2 => "SYN_SENT",
        3 => "SYN_RECV",
        4 => "FIN_WAIT1",
        5 => "FIN_WAIT2",
        6 => "TIME_WAIT",
        7 => "CLOSE",
        8 => "CLOSE_WAIT",
        9 => "LAST_ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        12 => "NEW_SYN_RECV",
        _ => $"STATE_{state}",
    };

    /// <summary>CRIU stores an address as u32 words holding network-order bytes (1 word for IPv4, 4 for IPv6).</summary>
    public static string? Address(IReadOnlyList<uint> words)
    {
        if (words.Count is not (1 or 4))
            return null;
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < words.Count; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes[(i * 4)..], words[i]);
        return new IPAddress(bytes[..(words.Count * 4)]).ToString();
    }

    /// <summary>A unix socket's name: abstract names (leading NUL) shown with @, like ss does.</summary>
    public static string? UnixName(unix_sk_entry sk)
    {
        var name = sk.Name.Span;
        if (name.Length == 0)
            return null;
        if (name[0] == 0)
            return "@" + System.Text.Encoding.UTF8.GetString(name[1..]).TrimEnd('\0');
        var s = System.Text.Encoding.UTF8.GetString(name).TrimEnd('\0');
        return sk.HasNameDir && !s.StartsWith('/') ? System.IO.Path.Combine(sk.NameDir, s) : s;
    }

    /// <summary>O_ACCMODE of open flags.</summary>
    public static string? Mode(uint flags) => (flags & 3) switch
    {
        0 => "r",
        1 => "w",
        2 => "rw",
        _ => null,
    };

    public static string FdType(fd_types type) => type switch
    {
        fd_types.Reg => "file",
        fd_types.Pipe => "pipe",
        fd_types.Fifo => "fifo",
        fd_types.Inetsk or fd_types.Unixsk or fd_types.Packetsk or fd_types.Netlinksk => "socket",
        fd_types.Eventfd => "eventfd",
        fd_types.Eventpoll => "eventpoll",
        fd_types.Inotify => "inotify",
        fd_types.Fanotify => "fanotify",
        fd_types.Signalfd => "signalfd",
        fd_types.Timerfd => "timerfd",
        fd_types.Tty => "tty",
        fd_types.Memfd => "memfd",
        fd_types.Ns => "namespace",
        fd_types.Tunf => "tun",
        fd_types.Bpfmap => "bpfmap",
        fd_types.Ext => "external",
        _ => "unknown",
    };

    /// <summary>rwxp / rw-s, from PROT_* and MAP_SHARED.</summary>
    public static string Protection(uint prot, uint flags)
        => string.Create(4, (prot, flags), static (s, v) =>
        {
            s[0] = (v.prot & 1) != 0 ? 'r' : '-';
            s[1] = (v.prot & 2) != 0 ? 'w' : '-';
            s[2] = (v.prot & 4) != 0 ? 'x' : '-';
            s[3] = (v.flags & 1) != 0 ? 's' : 'p';
        });

    /// <summary>The kind of a mapping from CRIU's VMA status bits (VMA_AREA_* / VMA_FILE_* / VMA_ANON_*).</summary>
    public static string VmaKind(uint status)
    {
        if ((status & (1u << 1)) != 0) return "stack";
        if ((status & (1u << 5)) != 0) return "heap";
        if ((status & (1u << 3)) != 0) return "vdso";
        if ((status & (1u << 12)) != 0) return "vvar";
        if ((status & (1u << 2)) != 0) return "vsyscall";
        if ((status & (1u << 10)) != 0) return "sysvipc";
        if ((status & (1u << 11)) != 0) return "socket";
        if ((status & (1u << 13)) != 0) return "aio";
        if ((status & (1u << 6)) != 0) return "file-private";
        if ((status & (1u << 7)) != 0) return "file-shared";
        if ((status & (1u << 8)) != 0) return "anon-shared";
        if ((status & (1u << 9)) != 0) return "anon-private";
        return "other";
    }

    public static bool IsFileMapping(uint status) => (status & ((1u << 6) | (1u << 7))) != 0;
    public static bool IsAnonShared(uint status) => (status & (1u << 8)) != 0;

    /// <summary>Names of mnt.proto's fstype values; fsname wins when CRIU recorded it.</summary>
    public static string FsType(mnt_entry m)
    {
        if (m.HasFsname && m.Fsname.Length > 0)
            return m.Fsname;
        return m.Fstype switch
        {
            1 => "proc",
            2 => "sysfs",
            3 => "devtmpfs",
            4 => "binfmt_misc",
            5 => "tmpfs",
            6 => "devpts",
            7 => "simfs",
            8 => "pstore",
            9 => "securityfs",
            10 => "fusectl",
            11 => "debugfs",
            12 => "cgroup",
            13 => "aufs",
            14 => "mqueue",
            15 => "fuse",
            16 => "auto",
            17 => "overlay",
            18 => "autofs",
            19 => "tracefs",
            23 => "cgroup2",
            _ => "unsupported",
        };
    }
}
