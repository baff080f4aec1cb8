using Stasis.Util;

namespace Stasis.Networking;

/// <summary>Network namespaces Stasis owns: a bind-mounted nsfs file per container under the run root.
/// Created by util-linux unshare (persistent namespace), loopback brought up with ip.</summary>
internal static class NetnsManager
{
    public static async Task CreateAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Runtime.MountTable.IsMounted(path)) return;
        await File.WriteAllBytesAsync(path, [], ct).ConfigureAwait(false);
        var r = await ProcessRunner.RunAsync("unshare", [$"--net={path}", "true"], ct).ConfigureAwait(false);
        if (!r.Succeeded)
        {
            Archives.TreeDeleter.TryDelete(path);
            throw new StasisException(StasisErrorCode.Runtime, $"cannot create a network namespace: {r.Reason}");
        }
        r = await ProcessRunner.RunAsync("nsenter", [$"--net={path}", "ip", "link", "set", "lo", "up"], ct).ConfigureAwait(false);
        if (!r.Succeeded)
        {
            Remove(path);
            throw new StasisException(StasisErrorCode.Runtime, $"cannot bring up loopback in the container's network namespace: {r.Reason}");
        }
    }

    public static void Remove(string path)
    {
        if (Runtime.MountTable.IsMounted(path)) Interop.LibcMount.Umount2(path, Interop.LibcMount.MNT_DETACH);
        Archives.TreeDeleter.TryDelete(path);
    }
}
