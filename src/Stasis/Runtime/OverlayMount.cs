using System.Runtime.InteropServices;
using Stasis.Interop;

namespace Stasis.Runtime;

/// <summary>The container rootfs: image layers read-only below, the container's upper/work above.</summary>
internal static class OverlayMount
{
    public static void Mount(IReadOnlyList<string> lowerTopFirst, string upper, string work, string target)
    {
        if (!Directory.Exists(upper))
        {
            // The container's / takes its permissions from the upper folder. 0555 is what Podman's containers/storage
            // gives every container, and CRIU checks the root's mode on restore, so checkpoints move between the engines.
            Directory.CreateDirectory(upper);
            LibcFileMode.Chmod(upper, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(target);
        if (MountTable.IsMounted(target)) return;
        var data = $"lowerdir={string.Join(':', lowerTopFirst)},upperdir={upper},workdir={work}";
        if (LibcMount.Mount("overlay", target, "overlay", 0, data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new StasisException(StasisErrorCode.Runtime, $"cannot mount the overlay rootfs at {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>A private tmpfs (nosuid, nodev, noexec) at <paramref name="target"/>.</summary>
    public static void MountTmpfs(string target, string options)
    {
        Directory.CreateDirectory(target);
        if (MountTable.IsMounted(target)) return;
        const ulong MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8;
        if (LibcMount.Mount("shm", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new StasisException(StasisErrorCode.Runtime, $"cannot mount a tmpfs at {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    public static void Unmount(string target)
    {
        if (!MountTable.IsMounted(target)) return;
        if (LibcMount.Umount2(target, 0) != 0 && LibcMount.Umount2(target, LibcMount.MNT_DETACH) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new StasisException(StasisErrorCode.Runtime, $"cannot unmount {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }
}
