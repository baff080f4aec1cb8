using Stasis.Interop;
using Xunit;

namespace Stasis.IntegrationTests.Images;

/// <summary>A small multi-layer image made offline with umoci, once per test class, and the archives real tools
/// write of it. Layer 1: busybox, /etc/passwd and /etc/group (user app 1000:1001, also in group extra 2000),
/// /etc/gone, /opq/old, /data/owned (1000:1001, mode 4750, xattr user.stasis=yes) with a hard link /data/hard,
/// and a character device /devs/mynull (1:3). Layer 2 deletes /etc/gone (umoci writes a ".wh." whiteout); layer 3
/// is hand-made with an opaque /opq holding only "new". Config: entrypoint sh -c, a probe command, env, workdir
/// /opq, user app. Tag "base" is layer 1 only; tag "v2" is all three.</summary>
public sealed class UmociImages : IAsyncLifetime
{
    public const string Probe =
        "echo user=$(id -u):$(id -g) groups=\"$(id -G)\" pwd=$(pwd) greeting=$GREETING home=$HOME; echo opq=$(ls /opq); " +
        "test -e /etc/gone && echo gone=present || echo gone=absent; stat -c owned=%u:%g:%a:%h /data/owned; " +
        "stat -c node=%t:%T /devs/mynull; echo END";

    /// <summary>What <see cref="Probe"/> prints in a container of "v2" run as its image user.</summary>
    public static readonly string[] ExpectedProbe =
    [
        "user=1000:1001 groups=1001 2000 pwd=/opq greeting=hello home=/home/app", "opq=new", "gone=absent",
        "owned=1000:1001:4750:2", "node=1:3", "END",
    ];

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "stasis-it-umoci-" + Guid.NewGuid().ToString("N")[..12]);
    public string Layout => Path.Combine(Dir, "layout");
    /// <summary>The layout tarred as it is (ref.names "base" and "v2": only tags), named so they load as fixture:TAG.</summary>
    public string OciArchive => Path.Combine(Dir, "fixture.tar");
    /// <summary>`skopeo copy oci:layout:v2 docker-archive:…:stasis-test/app:v2`.</summary>
    public string DockerArchive => Path.Combine(Dir, "docker-archive.tar");
    /// <summary>`skopeo copy oci:layout:v2 oci-archive:…:stasis-test/app:v2` (a full name in ref.name).</summary>
    public string SkopeoOciArchive => Path.Combine(Dir, "skopeo-oci.tar");

    public async ValueTask InitializeAsync()
    {
        ImageTools.Ensure("umoci", "skopeo", "tar");
        Directory.CreateDirectory(Dir);
        var image = Layout + ":base";
        await ImageTools.RunAsync("umoci", "init", "--layout", Layout);
        await ImageTools.RunAsync("umoci", "new", "--image", image);
        var bundle = Path.Combine(Dir, "bundle");
        await ImageTools.RunAsync("umoci", "unpack", "--image", image, bundle);
        var rootfs = Path.Combine(bundle, "rootfs");
        foreach (var d in new[] { "bin", "etc", "opq", "data", "devs" }) Directory.CreateDirectory(Path.Combine(rootfs, d));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        foreach (var applet in new[] { "sh", "id", "ls", "echo", "test", "stat", "pwd", "cat", "sleep" })
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\napp:x:1001:\nextra:x:2000:app\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "gone"), "gone\n");
        File.WriteAllText(Path.Combine(rootfs, "opq", "old"), "old\n");
        var owned = Path.Combine(rootfs, "data", "owned");
        File.WriteAllText(owned, "owned\n");
        LibcFileOwner.SetOwner(owned, 1000, 1001);
        LibcFileMode.Chmod(owned, (UnixFileMode)Convert.ToInt32("4750", 8));
        LibcXattr.Set(owned, "user.stasis", "yes"u8);
        LibcLinks.HardLink(owned, Path.Combine(rootfs, "data", "hard"));
        LibcNodes.Create(Path.Combine(rootfs, "devs", "mynull"), Statx.S_IFCHR, (UnixFileMode)Convert.ToInt32("644", 8), 1, 3);
        await ImageTools.RunAsync("umoci", "repack", "--image", image, bundle);

        var v2 = Layout + ":v2";
        var bundle2 = Path.Combine(Dir, "bundle2");
        await ImageTools.RunAsync("umoci", "unpack", "--image", image, bundle2);
        File.Delete(Path.Combine(bundle2, "rootfs", "etc", "gone"));
        await ImageTools.RunAsync("umoci", "repack", "--image", v2, bundle2);
        var hand = Path.Combine(Dir, "hand");
        Directory.CreateDirectory(Path.Combine(hand, "opq"));
        File.WriteAllText(Path.Combine(hand, "opq", "new"), "new\n");
        File.WriteAllText(Path.Combine(hand, "opq", ".wh..wh..opq"), "");
        var handTar = Path.Combine(Dir, "opaque-layer.tar");
        await ImageTools.RunAsync("tar", "-C", hand, "--owner=0", "--group=0", "-cf", handTar, "opq");
        await ImageTools.RunAsync("umoci", "raw", "add-layer", "--image", v2, handTar);
        await ImageTools.RunAsync("umoci", "config", "--image", v2, "--config.entrypoint", "/bin/sh", "--config.entrypoint", "-c",
            "--config.cmd", Probe, "--config.env", "PATH=/bin", "--config.env", "GREETING=hello", "--config.workingdir", "/opq",
            "--config.user", "app");

        await ImageTools.RunAsync("tar", "-C", Layout, "-cf", OciArchive, ".");
        await ImageTools.RunAsync("skopeo", "copy", "--quiet", $"oci:{v2}", $"docker-archive:{DockerArchive}:stasis-test/app:v2");
        await ImageTools.RunAsync("skopeo", "copy", "--quiet", $"oci:{v2}", $"oci-archive:{SkopeoOciArchive}:stasis-test/app:v2");
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
