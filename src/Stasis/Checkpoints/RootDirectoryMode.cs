using Stasis.Criu.Images;

namespace Stasis.Checkpoints;

/// <summary>The permissions the container's root folder had when CRIU dumped it. CRIU checks them on restore
/// ("File . has bad mode"), and engines build rootfs roots differently (Podman's is 0555, Stasis's 0755), so a
/// restore gives the rebuilt root exactly these.</summary>
internal static class RootDirectoryMode
{
    private const uint PermissionBits = 0xFFF; // rwx for all three, setuid, setgid, sticky

    public static UnixFileMode? FromImages(string imagesFolder)
    {
        try
        {
            var images = CheckpointImages.Open(imagesFolder);
            var pid = images.Tree.FirstOrDefault()?.Pid;
            if (pid is null || images.Fs((int)pid.Value) is not { } fs) return null;
            return images.Files.TryGetValue(fs.RootId, out var root) && root.Reg is { } reg && reg.HasMode
                ? (UnixFileMode)(reg.Mode & PermissionBits)
                : null;
        }
        catch (StasisException)
        {
            return null; // unreadable images fail the restore itself, with CRIU's own words
        }
    }
}
