using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Stasis.Interop;

namespace Stasis.Networking.Netlink;

/// <summary>A netlink socket to the kernel (rtnetlink for tc, nfnetlink for nf_tables): requests go out as
/// built by <see cref="NetlinkWriter"/>, and every message that asked for an acknowledgement is answered before
/// <see cref="Transact"/> returns. Replaces runs of tc(8) and iptables(8): each was a process of its own.</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private readonly int _fd;
    private readonly byte[] _receive = new byte[65536];
    private static uint s_sequence = (uint)Environment.TickCount | 1;

    private NetlinkSocket(int fd) => _fd = fd;

    /// <summary>A socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open(int protocol)
    {
        var fd = LibcSockets.Socket(LibcSockets.AF_NETLINK, LibcSockets.SOCK_RAW | LibcSockets.SOCK_CLOEXEC, protocol);
        if (fd < 0) throw new NetlinkException(Marshal.GetLastPInvokeError(), "cannot open a netlink socket");
        // A kernel that never answers must not hang a command: two seconds per receive.
        var tv = stackalloc long[2] { 2, 0 };
        LibcSockets.SetSockOpt(fd, LibcSockets.SOL_SOCKET, LibcSockets.SO_RCVTIMEO, (byte*)tv, 16);
        return new NetlinkSocket(fd);
    }

    /// <summary>A socket in the network namespace pinned at <paramref name="netnsPath"/>: made on a thread that
    /// enters it (a socket keeps the namespace it was made in), then usable from any thread.</summary>
    public static NetlinkSocket OpenIn(string netnsPath, int protocol) => NetnsThread.Run(netnsPath, () => Open(protocol));

    /// <summary>Sequence numbers for a new <see cref="NetlinkWriter"/>, unique within this process.</summary>
    public static uint NextSequences(int count)
    {
        var first = Interlocked.Add(ref s_sequence, (uint)count) - (uint)count;
        // Never 0, which Transact uses to mark an answered message.
        return first == 0 || first + (uint)count < first ? NextSequences(count) : first;
    }

    /// <summary>Sends the messages and waits for the answer to each that asked for one. Throws the first error.</summary>
    public void Transact(NetlinkWriter request, string what)
    {
        request.End();
        SendAll(request.Bytes, what);
        var pending = request.AckedSequences.ToArray();
        var left = pending.Length;
        NetlinkException? failure = null;
        while (left > 0)
        {
            var n = Receive(failure is null ? 0 : LibcSockets.MSG_DONTWAIT, what);
            if (n < 0) break; // only after a failure: nothing more is coming
            for (var at = 0; Next(_receive.AsSpan(0, n), ref at, out var type, out var seq, out var offset, out var length);)
            {
                var i = 0;
                while (i < pending.Length && pending[i] != seq) i++; // not Array.IndexOf<uint>: JIT-compiled at every start
                if (i == pending.Length) i = -1;
                if (type != NLMSG_ERROR || length < 4 || i < 0) continue;
                pending[i] = 0; // answered (0 is never a sequence number handed out here: see NextSequences)
                left--;
                var errno = -BinaryPrimitives.ReadInt32LittleEndian(_receive.AsSpan(offset));
                if (errno != 0) failure ??= new NetlinkException(errno, what);
            }
        }
        if (failure is not null) throw failure;
    }

    /// <summary>Sends one request without an acknowledgement flag and returns the payload of its single answer;
    /// an error answer throws.</summary>
    public byte[] Query(NetlinkWriter request, string what)
    {
        request.End();
        SendAll(request.Bytes, what);
        while (true)
        {
            var n = Receive(0, what);
            for (var at = 0; Next(_receive.AsSpan(0, n), ref at, out var type, out _, out var offset, out var length);)
            {
                if (type == NLMSG_ERROR && length >= 4)
                {
                    var errno = -BinaryPrimitives.ReadInt32LittleEndian(_receive.AsSpan(offset));
                    if (errno != 0) throw new NetlinkException(errno, what);
                    continue;
                }
                if (type == NLMSG_DONE) continue;
                return _receive.AsSpan(offset, length).ToArray();
            }
        }
    }

    /// <summary>Sends a dump request (NLM_F_DUMP is added) and returns the payload of every answer up to the end
    /// of the dump; an error answer throws.</summary>
    public List<byte[]> Dump(NetlinkWriter request, string what)
    {
        request.End();
        SendAll(request.Bytes, what);
        var answers = new List<byte[]>();
        while (true)
        {
            var n = Receive(0, what);
            for (var at = 0; Next(_receive.AsSpan(0, n), ref at, out var type, out _, out var offset, out var length);)
            {
                if (type == NLMSG_DONE) return answers;
                if (type == NLMSG_ERROR && length >= 4)
                {
                    var errno = -BinaryPrimitives.ReadInt32LittleEndian(_receive.AsSpan(offset));
                    if (errno != 0) throw new NetlinkException(errno, what);
                    continue;
                }
                answers.Add(_receive.AsSpan(offset, length).ToArray());
            }
        }
    }

    /// <summary>As <see cref="Query"/>, for an object that may not exist: null when the kernel answers ENOENT.</summary>
    public byte[]? QueryIfExists(NetlinkWriter request, string what)
    {
        try
        {
            return Query(request, what);
        }
        catch (NetlinkException e) when (e.Errno == 2) // ENOENT
        {
            return null;
        }
    }

    private void SendAll(ReadOnlySpan<byte> bytes, string what)
    {
        fixed (byte* p = bytes)
        {
            nint sent;
            do sent = LibcSockets.Send(_fd, p, (nuint)bytes.Length, 0);
            while (sent < 0 && Marshal.GetLastPInvokeError() == LibcSockets.EINTR);
            if (sent != bytes.Length) throw new NetlinkException(sent < 0 ? Marshal.GetLastPInvokeError() : 5, what);
        }
    }

    /// <summary>Bytes received; -1 for "nothing (more) now" with MSG_DONTWAIT.</summary>
    private int Receive(int flags, string what)
    {
        fixed (byte* p = _receive)
        {
            while (true)
            {
                var n = LibcSockets.Recv(_fd, p, (nuint)_receive.Length, flags);
                if (n >= 0) return (int)n;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibcSockets.EINTR) continue;
                if (errno == LibcSockets.EAGAIN && (flags & LibcSockets.MSG_DONTWAIT) != 0) return -1;
                throw new NetlinkException(errno, what + " (no answer from the kernel)");
            }
        }
    }

    /// <summary>Steps through the messages of one datagram: type, sequence number, and where the payload (after the
    /// 16-byte header) lies; false at the end (or at a malformed length).</summary>
    internal static bool Next(ReadOnlySpan<byte> data, ref int at, out ushort type, out uint seq, out int offset, out int length)
    {
        type = 0;
        seq = 0;
        offset = length = 0;
        if (data.Length - at < 16) return false;
        var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);
        if (len < 16 || len > data.Length - at) return false;
        type = BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 4)..]);
        seq = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 8)..]);
        offset = at + 16;
        length = len - 16;
        at += (len + 3) & ~3;
        return true;
    }

    public void Dispose() => LibcSockets.Close(_fd);
}
