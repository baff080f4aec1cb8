using System.ComponentModel;
using System.Runtime.InteropServices;
using Stasis.Interop;

namespace Stasis.Networking;

/// <summary>Network namespaces Stasis owns: a bind-mounted nsfs file per container under the run root.
/// Made in-process on a thread of its own: unshare(CLONE_NEWNET) moves only the calling thread, which pins the new
/// namespace with a bind mount, brings loopback up, and returns to the original namespace before it ends.</summary>
internal static class NetnsManager
{
    public static async Task CreateAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Runtime.MountTable.IsMounted(path)) return;
        await File.WriteAllBytesAsync(path, [], ct).ConfigureAwait(false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Make(path);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "stasis-netns" };
        thread.Start();
        try
        {
            await done.Task.ConfigureAwait(false);
        }
        catch (StasisException)
        {
            Remove(path);
            throw;
        }
    }

    private static unsafe void Make(string path)
    {
        using var original = File.OpenHandle("/proc/thread-self/ns/net");
        if (LibcNamespaces.Unshare(LibcNamespaces.CLONE_NEWNET) != 0)
            throw Fail("cannot create a network namespace");
        try
        {
            if (LibcMount.Mount("/proc/thread-self/ns/net", path, "none", LibcNamespaces.MS_BIND, null) != 0)
                throw Fail($"cannot pin the network namespace at {path}");
            var sock = LibcSockets.Socket(LibcSockets.AF_INET, LibcSockets.SOCK_DGRAM | LibcSockets.SOCK_CLOEXEC, 0);
            if (sock < 0) throw Fail("cannot bring up loopback in the container's network namespace");
            try
            {
                // struct ifreq: the name in 16 bytes, then ifr_flags (a short) at offset 16.
                var ifr = stackalloc byte[40];
                new Span<byte>(ifr, 40).Clear();
                "lo"u8.CopyTo(new Span<byte>(ifr, 16));
                if (LibcNamespaces.Ioctl(sock, LibcNamespaces.SIOCGIFFLAGS, ifr) != 0)
                    throw Fail("cannot read loopback's flags in the container's network namespace");
                *(short*)(ifr + 16) |= LibcNamespaces.IFF_UP;
                if (LibcNamespaces.Ioctl(sock, LibcNamespaces.SIOCSIFFLAGS, ifr) != 0)
                    throw Fail("cannot bring up loopback in the container's network namespace");
            }
            finally
            {
                LibcSockets.Close(sock);
            }
        }
        finally
        {
            // Back home for tidiness; the thread ends right after anyway, so a failure here leaks nothing.
            LibcNamespaces.Setns((int)original.DangerousGetHandle(), LibcNamespaces.CLONE_NEWNET);
        }
    }

    private static StasisException Fail(string what) =>
        new(StasisErrorCode.Runtime, $"{what}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");

    public static void Remove(string path)
    {
        if (Runtime.MountTable.IsMounted(path)) LibcMount.Umount2(path, LibcMount.MNT_DETACH);
        Archives.TreeDeleter.TryDelete(path);
    }
}
