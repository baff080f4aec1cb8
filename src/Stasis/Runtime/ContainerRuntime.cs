using System.Text.Json;
using System.Text.Json.Nodes;
using Stasis.Containers;
using Stasis.Images;
using Stasis.Networking;

namespace Stasis.Runtime;

/// <summary>Turns a container record into a running process and back: overlay rootfs, network namespace,
/// OCI bundle, conmon + runc; and releases all of it again.</summary>
internal sealed class ContainerRuntime(StorePaths paths, ImageStore images, Volumes.VolumeStore volumes, ToolSet tools, EngineOptions options)
{
    public RuncDriver Runc => new(tools.Runc, paths.RuncRoot, tools.CriuOrNull);

    /// <summary>The freezer of the container's cgroup, or null when the host has none.</summary>
    public CgroupFreezer? CgroupFreezer(string id) => Runtime.CgroupFreezer.Find(CgroupsPath(id));

    public NetworkManager Network { get; } = new(paths, new CniPluginRunner(CniPluginRunner.DefaultDirs));

    /// <summary>Mounts the rootfs and the private /dev/shm, makes the network namespace and writes bundle/config.json.
    /// The spec is always generated from the record (also for a restore): CRIU restores the process, and the
    /// bundle only has to offer the same mounts and namespaces at this container's own paths.</summary>
    public Task PrepareAsync(ContainerRecord rec, CancellationToken ct) => PrepareAsync(rec, null, ct);

    /// <summary>As above; <paramref name="network"/> carries what a restore asks of the network (same address and MAC,
    /// traffic held until the process is back).</summary>
    public async Task PrepareAsync(ContainerRecord rec, NetworkRequest? network, CancellationToken ct)
    {
        var image = images.Resolve(rec.ImageId);
        var lowers = image.Layers.Reverse().Select(images.LayerDiff).ToList();
        foreach (var l in lowers.Where(l => !Directory.Exists(l)))
            throw new StasisException(StasisErrorCode.NotFound, $"a layer of image {rec.Image} is missing from the store ({l})");
        var binds = rec.Mounts.Select(m => new BindMount(BindSource(m), m.Destination, m.ReadOnly)).ToList();
        var user = ImageUserResolver.Resolve(rec.User, lowers);
        Util.StartupTrace.Mark("prepare: image+user");
        OverlayMount.Mount(lowers, paths.Upper(rec.Id), paths.Work(rec.Id), paths.Rootfs(rec.Id));
        Util.StartupTrace.Mark("prepare: overlay");
        try
        {
            OverlayMount.MountTmpfs(paths.Shm(rec.Id), "mode=1777,size=65536k");
            if (rec.Network != NetworkModes.Host) await NetnsManager.CreateAsync(paths.Netns(rec.Id), ct).ConfigureAwait(false);
            Util.StartupTrace.Mark("prepare: shm+netns");
            if (NetworkModes.IsCni(rec.Network)) await Network.AttachAsync(rec, paths.Netns(rec.Id), network, ct).ConfigureAwait(false);
            Util.StartupTrace.Mark("prepare: network");
            // CRIU locks the network with nftables when it can: in-process, instead of about eight
            // iptables-restore runs per restore.
            string? criuConfig = null;
            if (await tools.CriuNftablesLockAsync(ct).ConfigureAwait(false))
            {
                criuConfig = Path.Combine(paths.Bundle(rec.Id), "criu.conf");
                const string content = "network-lock nftables\n";
                // Written once per container (an fsync'd write less on every later start and restore).
                if (!File.Exists(criuConfig) || File.ReadAllText(criuConfig) != content) Util.AtomicFile.WriteAllText(criuConfig, content);
            }
            Util.AtomicFile.WriteAllBytes(paths.BundleConfig(rec.Id), SpecBuilder(rec, binds, user, criuConfig).ToUtf8Json(), durable: false);
            Util.StartupTrace.Mark("prepare: spec");
        }
        catch
        {
            await ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        rec.Prepared = true;
    }

    /// <summary>True when what <see cref="PrepareAsync"/> made is all still in place (after a checkpoint that stopped
    /// the container, until a reboot or a release): rootfs and /dev/shm mounted, the network namespace pinned and
    /// attached, the bundle written. An in-place restore then launches at once (one read of the mount table
    /// instead of mounts, image and user lookups and a spec write: ~15 ms of every restore).</summary>
    public bool StillPrepared(ContainerRecord rec)
    {
        if (!rec.Prepared || !File.Exists(paths.BundleConfig(rec.Id))) return false;
        if (NetworkModes.IsCni(rec.Network) && Network.TryGetAttachment(rec.Id) is null) return false;
        var wanted = new List<string> { Path.GetFullPath(paths.Rootfs(rec.Id)).TrimEnd('/'), Path.GetFullPath(paths.Shm(rec.Id)).TrimEnd('/') };
        if (rec.Network != NetworkModes.Host) wanted.Add(Path.GetFullPath(paths.Netns(rec.Id)).TrimEnd('/'));
        foreach (var m in MountTable.MountPoints())
        {
            wanted.Remove(m);
            if (wanted.Count == 0) return true;
        }
        return false;
    }

    private string BindSource(VolumeMount m)
    {
        if (m.Type == VolumeMount.Volume)
            return volumes.TryGet(m.Source) is not null ? volumes.Data(m.Source)
                : throw StasisException.NotFound($"volume {m.Source} (mounted at {m.Destination}) does not exist");
        return Directory.Exists(m.Source) || File.Exists(m.Source) ? m.Source
            : throw StasisException.NotFound($"the host path {m.Source} (mounted at {m.Destination}) does not exist");
    }

    private OciSpecBuilder SpecBuilder(ContainerRecord rec, IReadOnlyList<BindMount> binds, ResolvedUser user, string? criuConfig) => new()
    {
        CriuConfig = criuConfig,
        ShmSource = paths.Shm(rec.Id),
        Binds = binds,
        Args = rec.Command,
        // Like Docker and Podman: HOME from the user's passwd entry unless the environment sets it.
        Env = user.Home is { } home && !rec.Env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)) ? [.. rec.Env, "HOME=" + home] : rec.Env,
        Uid = user.Uid,
        Gid = user.Gid,
        AdditionalGids = user.AdditionalGids,
        Cwd = rec.WorkingDir,
        Hostname = rec.Id[..12],
        NetnsPath = rec.Network == NetworkModes.Host ? null : paths.Netns(rec.Id),
        CgroupsPath = CgroupsPath(rec.Id),
    };

    internal static string CgroupsPath(string id) => $"/stasis/{id}";

    /// <summary>Starts conmon for a fresh process (runc create) or a restore (runc restore); returns the host PID.</summary>
    public async Task<int> LaunchAsync(ContainerRecord rec, string? restoreFrom, IReadOnlyList<string> restoreOptions, CancellationToken ct)
    {
        var generation = Guid.NewGuid().ToString("N");
        var launcher = new ConmonLauncher(tools.Conmon, tools.Runc, paths.RuncRoot, restoreFrom is null ? tools.CriuOrNull : tools.Criu);
        var exitArgs = options.ExitCommand is null
            ? []
            : new[] { "--root", paths.Root, "--run-root", paths.RunRoot, "container", "cleanup", rec.Id, generation };
        var pid = await launcher.LaunchAsync(new ConmonRequest
        {
            ContainerId = rec.Id,
            Name = rec.Name,
            Generation = generation,
            Bundle = paths.Bundle(rec.Id),
            PidFile = paths.PidFile(rec.Id, generation),
            ConmonPidFile = paths.ConmonPidFile(rec.Id, generation),
            LogPath = paths.Log(rec.Id),
            ExitDir = paths.ExitDir(rec.Id, generation),
            SocketDir = paths.SocketDir(rec.Id, generation),
            Stdin = rec.Interactive,
            RestoreFrom = restoreFrom,
            RestoreOptions = restoreOptions,
            ExitCommand = options.ExitCommand,
            ExitCommandArgs = exitArgs,
        }, ct).ConfigureAwait(false);
        rec.Generation = generation;
        rec.Pid = pid;
        rec.ConmonPid = ReadPid(paths.ConmonPidFile(rec.Id, generation));
        return pid;
    }

    private static int ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : 0;

    /// <summary>The exit code conmon recorded for the current run, or null while it runs.</summary>
    public int? ReadExitCode(ContainerRecord rec)
    {
        if (rec.Generation is null) return null;
        var file = paths.ExitFile(rec.Id, rec.Generation);
        if (!File.Exists(file)) return null;
        var text = File.ReadAllText(file).Trim();
        return int.TryParse(text, out var code) ? code : -1;
    }

    /// <summary>Waits until conmon records the exit of the current run.</summary>
    public async Task<int?> WaitForExitAsync(ContainerRecord rec, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (ReadExitCode(rec) is { } code) return code;
            if (!Interop.LibcProc.IsAlive(rec.Pid) && (rec.ConmonPid == 0 || !Interop.LibcProc.IsAlive(rec.ConmonPid)))
                return ReadExitCode(rec) ?? -1;
            if (DateTime.UtcNow >= deadline) return null;
            await Task.Delay(5, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the current run's conmon to finish writing (log flushed, exit recorded).</summary>
    public async Task WaitForConmonAsync(ContainerRecord rec, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (rec.ConmonPid > 0 && Interop.LibcProc.IsAlive(rec.ConmonPid) && DateTime.UtcNow < deadline)
            await Task.Delay(10, ct).ConfigureAwait(false);
    }

    /// <summary>Forgets a process CRIU ended (runc already dropped its state) but keeps the rootfs, /dev/shm and
    /// network namespace for the restore.</summary>
    public async Task ForgetProcessAsync(ContainerRecord rec, CancellationToken ct)
    {
        // runc destroys its own state after a checkpoint; only a leftover needs a `runc delete`.
        if (tools.RuncOrNull is not null && Directory.Exists(Path.Combine(paths.RuncRoot, rec.Id)))
            await Runc.DeleteAsync(rec.Id, ct).ConfigureAwait(false);
        var run = paths.RunContainer(rec.Id);
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        rec.Pid = 0;
        rec.ConmonPid = 0;
        rec.Generation = null;
    }

    /// <summary>Deletes runc's state, unmounts the rootfs, detaches the network and removes the network namespace; idempotent.</summary>
    public Task ReleaseAsync(ContainerRecord rec, CancellationToken ct) => ReleaseAsync(rec, keepNetwork: false, ct);

    /// <summary>As above; with <paramref name="keepNetwork"/> the namespace stays attached (address, MAC, veth, rules)
    /// for the in-place restore of a checkpoint, so nothing in between answers a peer with a reset.</summary>
    public async Task ReleaseAsync(ContainerRecord rec, bool keepNetwork, CancellationToken ct)
    {
        if (tools.RuncOrNull is not null) await Runc.DeleteAsync(rec.Id, ct).ConfigureAwait(false);
        OverlayMount.Unmount(paths.Rootfs(rec.Id));
        OverlayMount.Unmount(paths.Shm(rec.Id));
        if (!keepNetwork)
        {
            try
            {
                await Network.DetachAsync(rec.Id, ct).ConfigureAwait(false);
            }
            finally
            {
                NetnsManager.Remove(paths.Netns(rec.Id));
            }
        }
        var run = paths.RunContainer(rec.Id);
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        rec.Prepared = false;
        rec.Pid = 0;
        rec.ConmonPid = 0;
        rec.Generation = null;
    }
}
