using System.Diagnostics;
using System.Text.Json.Nodes;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Criu;
using Stasis.Networking;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    private CheckpointStore CheckpointStore => new(_paths);

    private IReadOnlyList<string> ListCheckpointNames(string containerId) => CheckpointStore.Names(containerId);

    /// <summary>The checkpoints of a container, oldest first.</summary>
    public IReadOnlyList<CheckpointInfo> ListCheckpoints(string container) =>
        CheckpointStore.List(_containers.Resolve(container).Id);

    /// <summary>Checkpoints of every container, oldest first.</summary>
    public IReadOnlyList<CheckpointInfo> ListAllCheckpoints() =>
        _containers.List().SelectMany(c => CheckpointStore.List(c.Id)).OrderBy(c => c.Created).ToList();

    /// <summary>Dumps a running container with CRIU (through runc) into a named checkpoint. Without
    /// LeaveRunning the container stops afterwards. On failure the container keeps running and nothing is kept
    /// but CRIU's log, whose path and error lines the exception carries.</summary>
    public Task<CheckpointResult> CheckpointAsync(string container, CheckpointOptions? options = null, CancellationToken ct = default) =>
        CheckpointAsync(container, options, dumpObserver: null, ct);

    /// <param name="dumpObserver">Sees the image folder while CRIU writes it (an export packs the pages meanwhile).</param>
    private async Task<CheckpointResult> CheckpointAsync(string container, CheckpointOptions? options, IDumpObserver? dumpObserver, CancellationToken ct)
    {
        options ??= new CheckpointOptions();
        var criu = Tools.Criu;
        var rec = _containers.Resolve(container);
        using var _ = await LockAsync(rec.Id, ct).ConfigureAwait(false);
        rec = await RefreshAsync(_containers.Load(rec.Id), ct).ConfigureAwait(false);
        Util.StartupTrace.Mark("checkpoint: locked+refreshed");
        if (rec.State != ContainerState.Running)
            throw StasisException.Conflict($"container {rec.Name} is not running ({rec.State.ToString().ToLowerInvariant()}); only a running container can be checkpointed");
        var name = options.Name ?? CheckpointStore.DefaultName(rec.Id, DateTimeOffset.UtcNow);
        ContainerStore.ValidateName(name, "checkpoint name");
        var final = _paths.Checkpoint(rec.Id, name);
        if (Directory.Exists(final))
            throw StasisException.Conflict($"container {rec.Name} already has a checkpoint named '{name}'");

        if (rec.Network == NetworkModes.Host && options.TcpEstablished)
            throw new StasisException(StasisErrorCode.Unsupported,
                $"container {rec.Name} shares the host's network (--network host): its TCP connections are the host's, and CRIU cannot lock and restore them; checkpoint without --tcp-established (its connections are then not kept), or run it on a bridge network");
        var attachment = Runtime.Network.TryGetAttachment(rec.Id);

        var phases = new List<PhaseTiming>();
        var staging = Path.Combine(_paths.Checkpoints(rec.Id), $".staging-{name}-{Guid.NewGuid():N}");
        var images = Path.Combine(staging, CheckpointLayout.CriuImages);
        Directory.CreateDirectory(images);
        var created = DateTimeOffset.UtcNow;
        var sw = Stopwatch.StartNew();
        // From just before the freeze until the restored sockets are back, peers' packets wait in a queue on the
        // veth (or, failing that, are dropped and retransmitted) rather than reaching a namespace without the
        // socket, which would reset them.
        if (attachment is not null) await TrafficHold.InsertAsync(attachment, ct).ConfigureAwait(false);
        Util.StartupTrace.Mark("checkpoint: traffic held");
        try
        {
            var args = new List<string> { "checkpoint", "--image-path", images, "--work-path", images };
            if (options.LeaveRunning) args.Add("--leave-running");
            if (options.TcpEstablished) args.Add("--tcp-established");
            if (options.FileLocks) args.Add("--file-locks");
            args.Add(rec.Id);
            // Frozen here, CRIU seizes at once instead of polling the freezer in 100 ms steps.
            var freezer = Runtime.CgroupFreezer(rec.Id);
            if (freezer is not null) await freezer.FreezeAsync(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            Util.StartupTrace.Mark("checkpoint: frozen");
            // While the container is frozen its files cannot change: /dev/shm, the rootfs diff and the volumes are
            // written beside CRIU's dump instead of after it (the dump has the cores' attention; these are small).
            // Without a freezer of ours CRIU freezes inside the dump, so they wait for it.
            var filesTask = freezer is null ? null : Task.Run(() => SaveFilesAsync(rec, staging, options, CancellationToken.None), CancellationToken.None);
            dumpObserver?.DumpStarting(images);
            ProcessResult r;
            try
            {
                r = await Runtime.Runc.RunAsync(args, ct).ConfigureAwait(false);
            }
            finally
            {
                // The files are taken before anything thaws (--leave-running, a failed dump): a frozen state, whole.
                if (filesTask is not null) await ((Task)filesTask).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                // CRIU leaves a cgroup it found frozen frozen: a container that runs on (or whose dump failed) runs again.
                freezer?.Thaw();
            }
            Util.StartupTrace.Mark("checkpoint: dumped and thawed");
            dumpObserver?.DumpEnded(r.Succeeded);
            phases.Add(new PhaseTiming("dump", sw.Elapsed));
            if (!r.Succeeded)
            {
                var log = KeepCriuLog(rec.Id, Path.Combine(images, "dump.log"), "dump");
                var errors = log is null ? [] : CriuLog.ReadErrors(log);
                await EnsureStillRunningAfterFailedDumpAsync(rec, ct).ConfigureAwait(false);
                throw new CriuException($"checkpoint of {rec.Name}", errors.Count > 0 ? errors : [r.Reason], log);
            }

            sw.Restart();

            if (!options.LeaveRunning)
            {
                // CRIU ended the process; let conmon record it, then release the mount. The network namespace
                // stays attached (address, MAC, veth, the hold) for an in-place restore; rm or a copy's restore
                // do not need it, and rm releases it.
                // conmon itself lingers a while after writing the exit file; nothing of it is needed any more.
                // The rootfs mount, /dev/shm and network namespace stay until the container is restored or
                // removed: unmounting now would sync every image file just written (seconds for GiBs) and
                // the namespace keeps the container's address reserved for an in-place restore.
                sw.Restart();
                await Runtime.WaitForExitAsync(rec, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
                await Runtime.ForgetProcessAsync(rec, ct).ConfigureAwait(false);
                phases.Add(new PhaseTiming("release", sw.Elapsed));
                Util.StartupTrace.Mark("checkpoint: exit recorded, process forgotten");
                rec.State = ContainerState.Checkpointed;
                rec.FinishedAt = DateTimeOffset.UtcNow;
                rec.ExitCode = null;
                rec.UpperMatchesLastCheckpoint = false;
                _containers.Save(rec);
            }

            sw.Restart();
            // Only now are the file-system errors seen (a full disk …): the container is already marked checkpointed
            // when CRIU ended it, so the handler below brings it back from the fresh images.
            var files = filesTask is not null ? await filesTask.ConfigureAwait(false) : await SaveFilesAsync(rec, staging, options, ct).ConfigureAwait(false);
            var (shmSaved, diffBytes, deleted, savedVolumes) = (files.DevShm, files.DiffBytes, files.Deleted, files.Volumes);
            File.Copy(_paths.BundleConfig(rec.Id), Path.Combine(staging, CheckpointLayout.SpecDump));
            // Podman-readable, with the whole record inside (see ConfigDump), so the archive imports into either engine.
            await File.WriteAllBytesAsync(Path.Combine(staging, CheckpointLayout.ConfigDump), ConfigDump.Create(rec), ct).ConfigureAwait(false);
            if (attachment is not null) NetworkStatus.Write(Path.Combine(staging, CheckpointLayout.NetworkStatus), attachment);
            var statsFile = Path.Combine(images, CheckpointLayout.StatsDump);
            if (File.Exists(statsFile)) File.Copy(statsFile, Path.Combine(staging, CheckpointLayout.StatsDump));
            phases.Add(new PhaseTiming("rootfs diff and metadata", sw.Elapsed));
            Util.StartupTrace.Mark("checkpoint: rootfs diff and metadata");

            var info = new CheckpointInfo
            {
                Name = name,
                ContainerId = rec.Id,
                ContainerName = rec.Name,
                Image = rec.Image,
                ImageId = rec.ImageId,
                Created = created,
                LeaveRunning = options.LeaveRunning,
                TcpEstablished = options.TcpEstablished,
                FileLocks = options.FileLocks,
                ImagesSize = CheckpointStore.FolderSize(images),
                RootfsDiffSize = diffBytes,
                DeletedFiles = deleted,
                IgnoreRootfs = options.IgnoreRootfs,
                Volumes = savedVolumes,
                DevShm = shmSaved,
                CriuVersion = await Tools.CriuVersionAsync(ct).ConfigureAwait(false),
                Architecture = CpuArchitecture.Host,
                DumpStats = CriuStatsReader.ReadDump(statsFile),
            };
            CheckpointStore.WriteMetadata(staging, info);
            Directory.Move(staging, final);
            Util.StartupTrace.Mark("checkpoint: stored");

            rec.LastCheckpoint = name;
            rec.UpperMatchesLastCheckpoint = !options.LeaveRunning;
            _containers.Save(rec);
            return new CheckpointResult(info with { Path = final }, phases);
        }
        catch (Exception e) when (e is not CriuException)
        {
            // The dump succeeded but the checkpoint could not be completed (disk full, …): a container CRIU
            // already stopped is brought back from the fresh images so nothing is lost.
            if (rec.State == ContainerState.Checkpointed && Directory.Exists(images))
            {
                try
                {
                    await RestoreProcessAsync(rec, staging, tcpEstablished: options.TcpEstablished, fileLocks: options.FileLocks,
                        rebuildUpperFrom: null, null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (StasisException restoreError)
                {
                    throw new StasisException(StasisErrorCode.General,
                        $"checkpoint of {rec.Name} failed ({e.Message}) and bringing the container back failed too ({restoreError.Message}); its images are kept at {staging}", e);
                }
            }
            Archives.TreeDeleter.TryDelete(staging);
            throw;
        }
        catch
        {
            Archives.TreeDeleter.TryDelete(staging);
            throw;
        }
        finally
        {
            // Still (or again) running: its traffic flows again. A stopped container keeps the hold until restore.
            if (attachment is not null && rec.State != ContainerState.Checkpointed)
                await TrafficHold.ReleaseAsync(attachment, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a named checkpoint.</summary>
    public async Task RemoveCheckpointAsync(string container, string checkpoint, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            var dir = ResolveCheckpointDirectory(rec.Id, checkpoint);
            rec = _containers.Load(rec.Id);
            if (rec.State == ContainerState.Checkpointed && rec.LastCheckpoint == checkpoint)
                throw StasisException.Conflict(
                    $"checkpoint '{checkpoint}' holds the state of the stopped container {rec.Name}; restore it first, or remove the container");
            Directory.Delete(dir, recursive: true);
            if (rec.LastCheckpoint == checkpoint)
            {
                rec.LastCheckpoint = CheckpointStore.List(rec.Id).LastOrDefault()?.Name;
                rec.UpperMatchesLastCheckpoint = false;
                _containers.Save(rec);
            }
        }
    }

    /// <summary>Restores a checkpoint: in place (the container must not be running), or as a new container when
    /// <see cref="RestoreOptions.Name"/> is given (any number of copies of one checkpoint can run side by side).
    /// A failed restore leaves the checkpoint intact and no half-made container.</summary>
    public async Task<RestoreResult> RestoreAsync(string container, RestoreOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RestoreOptions();
        _ = Tools.Criu;
        var source = _containers.Resolve(container);
        Util.StartupTrace.Mark("resolved");
        using var sourceLock = await LockAsync(source.Id, ct).ConfigureAwait(false);
        source = await RefreshAsync(_containers.Load(source.Id), ct).ConfigureAwait(false);
        Util.StartupTrace.Mark("locked+refreshed");
        var checkpoints = CheckpointStore.List(source.Id);
        Util.StartupTrace.Mark("checkpoints listed");
        CheckpointInfo cp;
        if (options.Checkpoint is { } wanted)
            cp = checkpoints.FirstOrDefault(c => c.Name == wanted)
                 ?? throw StasisException.NotFound($"container '{source.Name}' has no checkpoint '{wanted}'");
        else
            cp = checkpoints.LastOrDefault() ?? throw StasisException.NotFound($"container '{source.Name}' has no checkpoints");
        var folder = cp.Path!;
        var tcp = options.TcpEstablished ?? cp.TcpEstablished;
        var statusFile = Path.Combine(folder, CheckpointLayout.NetworkStatus);

        if (options.Name is null)
        {
            if (source.State is ContainerState.Running or ContainerState.Created)
                throw StasisException.Conflict(
                    $"container {source.Name} is running: stop it first, or restore a copy with --name NEW");
            if (options.Ip is not null || options.Ports is not null)
                throw StasisException.Invalid("--ip and -p apply to a copy (--name NEW); restored in place a container keeps its address and ports");
            var reuseUpper = source.LastCheckpoint == cp.Name && source.UpperMatchesLastCheckpoint;
            // Right after the checkpoint that stopped it, mounts, namespace (attached, held) and bundle are all still
            // there: nothing to redo. Otherwise (a reboot, an older checkpoint) the namespace is made again with the
            // same address and MAC as at the checkpoint.
            var prepared = reuseUpper && Runtime.StillPrepared(source);
            NetworkRequest? request = null;
            if (!prepared)
            {
                var (ipThen, macThen) = NetworkStatus.Read(statusFile);
                request = new NetworkRequest { Ip = ipThen, Mac = macThen, Hold = true };
            }
            var (stats, phases) = await RestoreProcessAsync(source, folder, tcp, cp.FileLocks,
                rebuildUpperFrom: reuseUpper ? null : folder, request, ct, prepared).ConfigureAwait(false);
            return new RestoreResult(ToInfo(source), cp, stats, phases);
        }

        var (oldIp, oldMac) = NetworkStatus.Read(statusFile);
        var (network, ip, ports) = Runtime.Network.Validate(source.Network, options.Ip,
            options.Ports ?? source.Ports.Select(p => p.ToString()).ToList());
        var sameAddress = ip is not null && ip == oldIp;
        if (options.TcpEstablished == true && oldIp is not null && !sameAddress)
            throw StasisException.Invalid(
                $"--tcp-established cannot be kept by a copy with a new address: the checkpoint's connections belong to {oldIp}, and their peers would send to it; restore in place, or give the copy --ip {oldIp} once no container holds it");
        // A copy at a new address cannot continue the checkpoint's connections; one at the old address can.
        tcp = options.TcpEstablished ?? (cp.TcpEstablished && (oldIp is null || sameAddress));
        ContainerRecord copy;
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
        {
            copy = new ContainerRecord
            {
                Id = ContainerStore.NewId(),
                Name = _containers.ChooseName(options.Name),
                Image = source.Image,
                ImageId = source.ImageId,
                Command = source.Command,
                Env = source.Env,
                WorkingDir = source.WorkingDir,
                User = source.User,
                Network = network,
                Ip = ip,
                Ports = ports,
                Interactive = source.Interactive,
                Mounts = source.Mounts,
                CreatedAt = DateTimeOffset.UtcNow,
                State = ContainerState.Checkpointed,
            };
            Directory.CreateDirectory(_paths.Container(copy.Id));
            File.WriteAllBytes(_paths.ContainerLock(copy.Id), []);
            _containers.Save(copy);
        }
        using (await LockAsync(copy.Id, ct).ConfigureAwait(false))
        {
            try
            {
                var request = new NetworkRequest { Mac = sameAddress ? oldMac : null, Hold = true };
                var (stats, phases) = await RestoreProcessAsync(copy, folder, tcp, cp.FileLocks, rebuildUpperFrom: folder, request, ct).ConfigureAwait(false);
                return new RestoreResult(ToInfo(copy), cp, stats, phases);
            }
            catch
            {
                await Runtime.ReleaseAsync(copy, CancellationToken.None).ConfigureAwait(false);
                Archives.TreeDeleter.TryDelete(_paths.Container(copy.Id));
                throw;
            }
        }
    }

    /// <summary>Rebuilds the rootfs when asked, prepares the bundle from the checkpoint's spec and has conmon run
    /// `runc restore`. On failure the record is left as it was (not running) and resources are released.</summary>
    private async Task<(CriuRestoreStats? Stats, List<PhaseTiming> Phases)> RestoreProcessAsync(ContainerRecord rec, string checkpointFolder,
        bool tcpEstablished, bool fileLocks, string? rebuildUpperFrom, NetworkRequest? network, CancellationToken ct, bool prepared = false)
    {
        var phases = new List<PhaseTiming>();
        var sw = Stopwatch.StartNew();
        if (rebuildUpperFrom is not null)
        {
            // The upper layer becomes exactly what the checkpoint recorded; the old one is swapped out only
            // once the new one is complete.
            var fresh = _paths.Upper(rec.Id) + ".restoring";
            Archives.TreeDeleter.TryDelete(fresh);
            await RootfsDiff.ApplyAsync(rebuildUpperFrom, fresh, ct).ConfigureAwait(false);
            if (RootDirectoryMode.FromImages(Path.Combine(checkpointFolder, CheckpointLayout.CriuImages)) is { } rootMode)
                Interop.LibcFileMode.Chmod(fresh, rootMode);
            Stasis.Runtime.OverlayMount.Unmount(_paths.Rootfs(rec.Id));
            Archives.TreeDeleter.TryDelete(_paths.Upper(rec.Id));
            Archives.TreeDeleter.TryDelete(_paths.Work(rec.Id));
            Directory.Move(fresh, _paths.Upper(rec.Id));
            phases.Add(new PhaseTiming("rootfs", sw.Elapsed));
            sw.Restart();
        }

        Util.StartupTrace.Mark("rootfs");
        await EnsureVolumesAsync(rec, checkpointFolder, ct).ConfigureAwait(false);
        if (!prepared) await Runtime.PrepareAsync(rec, network, ct).ConfigureAwait(false);
        Util.StartupTrace.Mark("prepared");
        var shmTar = Path.Combine(checkpointFolder, CheckpointLayout.DevShm);
        if (File.Exists(shmTar))
        {
            try
            {
                // An in-place restore finds the tmpfs still mounted with the content of the last run.
                foreach (var e in Directory.EnumerateFileSystemEntries(_paths.Shm(rec.Id)))
                {
                    if (Directory.Exists(e) && new DirectoryInfo(e).LinkTarget is null) Directory.Delete(e, recursive: true);
                    else File.Delete(e);
                }
                await ExtractIntoMountAsync(shmTar, _paths.Shm(rec.Id), ct).ConfigureAwait(false);
            }
            catch
            {
                await Runtime.ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        var work = Path.Combine(_paths.CriuLogs(rec.Id), $"restore-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss-fff}");
        Directory.CreateDirectory(work);
        var restoreOptions = new List<string> { "--work-path=" + work };
        if (tcpEstablished) restoreOptions.Add("--tcp-established");
        if (fileLocks) restoreOptions.Add("--file-locks");
        try
        {
            await Runtime.LaunchAsync(rec, Path.Combine(checkpointFolder, CheckpointLayout.CriuImages), restoreOptions, ct).ConfigureAwait(false);
        }
        catch (StasisException e)
        {
            await Runtime.ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
            var log = Path.Combine(work, "restore.log");
            var errors = CriuLog.ReadErrors(log);
            throw new CriuException($"restore of {rec.Name}", errors.Count > 0 ? errors : [e.Message], File.Exists(log) ? log : null);
        }
        Util.StartupTrace.Mark("launched");
        if (Runtime.Network.TryGetAttachment(rec.Id) is { } attached)
            await TrafficHold.ReleaseAsync(attached, CancellationToken.None).ConfigureAwait(false);
        Util.StartupTrace.Mark("hold released");
        phases.Add(new PhaseTiming("restore", sw.Elapsed));
        rec.State = ContainerState.Running;
        rec.StartedAt = DateTimeOffset.UtcNow;
        rec.FinishedAt = null;
        rec.ExitCode = null;
        rec.UpperMatchesLastCheckpoint = false;
        rec.RestoredFrom = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(checkpointFolder)))}/{Path.GetFileName(checkpointFolder)}";
        _containers.Save(rec);
        var stats = CriuStatsReader.ReadRestore(Path.Combine(work, "stats-restore"));
        Util.StartupTrace.Mark("saved");
        return (stats, phases);
    }

    /// <summary>The container's file-system state into a checkpoint folder: /dev/shm (a tmpfs Stasis mounted, outside
    /// CRIU's images), the rootfs diff and the named volumes.</summary>
    private async Task<SavedFiles> SaveFilesAsync(ContainerRecord rec, string staging, CheckpointOptions options, CancellationToken ct)
    {
        var shmSaved = await SaveTreeAsync(_paths.Shm(rec.Id), Path.Combine(staging, CheckpointLayout.DevShm), ct).ConfigureAwait(false);
        var (diffBytes, deleted) = options.IgnoreRootfs ? (0L, 0)
            : await RootfsDiff.WriteAsync(_paths.Upper(rec.Id), staging, ct).ConfigureAwait(false);
        var savedVolumes = new List<string>();
        if (!options.IgnoreVolumes)
        {
            foreach (var m in rec.Mounts.Where(m => m.Type == VolumeMount.Volume))
            {
                Directory.CreateDirectory(Path.Combine(staging, CheckpointLayout.Volumes));
                if (await SaveTreeAsync(Volumes.Data(m.Source), Path.Combine(staging, CheckpointLayout.Volumes, m.Source + ".tar"), ct).ConfigureAwait(false))
                    savedVolumes.Add(m.Source);
            }
        }
        return new SavedFiles(shmSaved, diffBytes, deleted, savedVolumes);
    }

    /// <summary>Writes a folder's content as a tar; false (and no file) when there is nothing to save.</summary>
    private static async Task<bool> SaveTreeAsync(string folder, string tarPath, CancellationToken ct)
    {
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any()) return false;
        await using var fs = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await Archives.TarDirectoryWriter.WriteAsync(folder, fs, null, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Unpacks a tar into a mount point (which cannot be renamed onto): safely into a folder inside it,
    /// then each top-level entry is moved up, within the same file system.</summary>
    private static async Task ExtractIntoMountAsync(string tar, string mountPoint, CancellationToken ct)
    {
        var staging = Path.Combine(mountPoint, ".stasis-restore-" + Guid.NewGuid().ToString("N"));
        await using (var fs = new FileStream(tar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            await Archives.SafeTarExtractor.ExtractAsync(fs, staging, new Archives.TarExtractOptions(), ct).ConfigureAwait(false);
        foreach (var entry in Directory.EnumerateFileSystemEntries(staging))
        {
            var target = Path.Combine(mountPoint, Path.GetFileName(entry));
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null) Directory.Move(entry, target);
            else File.Move(entry, target);
        }
        Directory.Delete(staging);
    }

    /// <summary>Named volumes the container mounts are used as they are; one that no longer exists (removed, or on
    /// another host) is created again from the checkpoint's copy of it.</summary>
    private async Task EnsureVolumesAsync(ContainerRecord rec, string checkpointFolder, CancellationToken ct)
    {
        foreach (var m in rec.Mounts.Where(m => m.Type == VolumeMount.Volume))
        {
            if (Volumes.TryGet(m.Source) is not null) continue;
            var tar = Path.Combine(checkpointFolder, CheckpointLayout.Volumes, m.Source + ".tar");
            Volumes.Create(m.Source, existingOk: true);
            if (!File.Exists(tar)) continue;
            await using var fs = new FileStream(tar, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await Archives.SafeTarExtractor.ExtractIntoEmptyAsync(fs, Volumes.Data(m.Source), new Archives.TarExtractOptions(), ct).ConfigureAwait(false);
        }
    }

    /// <summary>After a failed dump CRIU resumes the container; if it did not survive, say so plainly.</summary>
    private async Task EnsureStillRunningAfterFailedDumpAsync(ContainerRecord rec, CancellationToken ct)
    {
        var state = await Runtime.Runc.StateAsync(rec.Id, ct).ConfigureAwait(false);
        if (state is { Status: "running" }) return;
        await RefreshAsync(rec, ct).ConfigureAwait(false);
    }

    /// <summary>Moves a CRIU log out of a folder about to be deleted into containers/&lt;id&gt;/criu-logs/.</summary>
    private string? KeepCriuLog(string containerId, string log, string kind)
    {
        if (!File.Exists(log)) return null;
        var dir = _paths.CriuLogs(containerId);
        Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, $"{kind}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss-fff}.log");
        File.Move(log, target);
        return target;
    }
}
