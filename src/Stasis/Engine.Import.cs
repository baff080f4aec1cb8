using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Images;
using Stasis.Networking;
using Stasis.Util;

namespace Stasis;

/// <summary>Checkpoint archives in: `restore --import`. Everything is checked on a private unpacked copy before any
/// container exists (members, manifest, architecture, image, name, host paths); a refusal leaves nothing behind.</summary>
public sealed partial class Engine
{
    /// <summary>Creates and restores a container from an archive file (Stasis's or Podman's; compression detected).</summary>
    public Task<ImportResult> ImportCheckpointAsync(string file, ImportOptions? options = null, CancellationToken ct = default)
    {
        if (Directory.Exists(file)) return Task.FromException<ImportResult>(StasisException.Invalid($"{file} is a folder, not a checkpoint archive"));
        if (!File.Exists(file)) return Task.FromException<ImportResult>(StasisException.NotFound($"no such file: {file}"));
        var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return ImportCheckpointAsync(input, ownsInput: true, input.Length, options, ct);
    }

    /// <summary>Creates and restores a container from an archive read from a stream (e.g. stdin), without a copy of
    /// the whole archive.</summary>
    public Task<ImportResult> ImportCheckpointAsync(Stream input, ImportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ImportCheckpointAsync(input, ownsInput: false, null, options, ct);
    }

    /// <summary>Unpacks and checks the archive on the calling thread, then creates and restores the container.
    /// Not an async method itself: each async method costs a dozen generic instantiations to JIT per CLI call.</summary>
    private Task<ImportResult> ImportCheckpointAsync(Stream input, bool ownsInput, long? totalBytes, ImportOptions? options, CancellationToken ct)
    {
        options ??= new ImportOptions();
        string? staging = null;
        ArchivedContainer? archived = null;
        ImageInfo? image = null;
        CheckpointInfo? info = null;
        string? name = null;
        ArchiveReadResult read;
        try
        {
            _ = Tools.Criu;
            if (options.Name is not null) ContainerStore.ValidateName(options.Name);
            Directory.CreateDirectory(_paths.Tmp);
            staging = Path.Combine(_paths.Tmp, "import-" + Guid.NewGuid().ToString("N"));
            read = CheckpointArchiveReader.Extract(input, staging, totalBytes, options.Progress, folder =>
            {
                info = CheckpointStore.TryRead(folder);
                archived = ConfigDump.Read(folder);
                CheckArchitecture(folder, info);
                image = ResolveArchivedImage(archived.Image);
                name = options.Name ?? archived.Name;
                if (_containers.NameTaken(name))
                {
                    throw StasisException.Conflict(options.Name is null
                        ? $"the archived container's name '{name}' is taken here: give the new container a name with --name NEW"
                        : $"the container name '{name}' is already in use");
                }
                foreach (var m in archived.Mounts.Where(m => m.Type == VolumeMount.Bind && !Directory.Exists(m.Source) && !File.Exists(m.Source)))
                    throw StasisException.NotFound($"the archived container bind-mounts the host path {m.Source} (at {m.Destination}), which does not exist here");
            }, ct);
        }
        catch (Exception e)
        {
            if (staging is not null) Archives.TreeDeleter.TryDelete(staging);
            return Task.FromException<ImportResult>(e);
        }
        finally
        {
            if (ownsInput) input.Dispose();
        }
        return CreateFromArchiveAsync(staging, archived!, image!, info, name!, options, read, ct);
    }

    /// <param name="staging">The checked, unpacked archive: moved into the new container's checkpoints, or removed.</param>
    private async Task<ImportResult> CreateFromArchiveAsync(string staging, ArchivedContainer archived, ImageInfo image, CheckpointInfo? info,
        string name, ImportOptions options, ArchiveReadResult read, CancellationToken ct)
    {
        try
        {
            ContainerRecord rec;
            var checkpointName = info?.Name ?? "imported";
            // Checked before anything is created: a port needs a bridge network, and one given twice is refused.
            var (network, _, ports) = Runtime.Network.Validate(archived.Network, null,
                options.Ports ?? archived.Ports.Select(p => p.ToString()).ToList());
            using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
            {
                var id = ContainerStore.NewId();
                var mounts = new List<VolumeMount>(archived.Mounts);
                var files = Path.Combine(_paths.Container(id), "files");
                foreach (var (destination, _) in archived.GeneratedFiles)
                    mounts.Add(new VolumeMount { Type = VolumeMount.Bind, Source = Path.Combine(files, destination.Trim('/').Replace('/', '_')), Destination = destination });
                rec = new ContainerRecord
                {
                    Id = id,
                    Name = _containers.ChooseName(name),
                    Image = image.Names.FirstOrDefault() ?? archived.Image,
                    ImageId = image.Id,
                    Command = archived.Command,
                    Env = archived.Env,
                    WorkingDir = archived.WorkingDir,
                    User = archived.User,
                    Network = network,
                    Ports = ports,
                    Interactive = archived.Interactive,
                    Mounts = mounts,
                    CreatedAt = DateTimeOffset.UtcNow,
                    State = ContainerState.Checkpointed,
                    LastCheckpoint = checkpointName,
                };
                Directory.CreateDirectory(files);
                File.WriteAllBytes(_paths.ContainerLock(id), []); // locks never create it, so a removed container stays removed
                foreach (var (destination, content) in archived.GeneratedFiles)
                    File.WriteAllText(Path.Combine(files, destination.Trim('/').Replace('/', '_')), content);
                Directory.CreateDirectory(_paths.Checkpoints(id));
                _containers.Save(rec);
            }
            using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
            {
                try
                {
                    var folder = _paths.Checkpoint(rec.Id, checkpointName);
                    Directory.Move(staging, folder);
                    var kept = (info ?? new CheckpointInfo
                    {
                        Name = checkpointName,
                        ContainerId = rec.Id,
                        ContainerName = rec.Name,
                        Image = rec.Image,
                        ImageId = rec.ImageId,
                        Created = DateTimeOffset.UtcNow,
                        ImagesSize = CheckpointStore.FolderSize(Path.Combine(folder, CheckpointLayout.CriuImages)),
                    }) with { ContainerId = rec.Id, ContainerName = rec.Name, Path = null };
                    CheckpointStore.WriteMetadata(folder, kept);
                    var tcp = options.TcpEstablished ?? kept.TcpEstablished;
                    // Established connections belong to the checkpoint's address, and their peers keep sending to it:
                    // a migrated container that keeps them takes that address and MAC (as Podman's import keeps a
                    // container's static IP). One already in use here is a clear conflict, and nothing is left.
                    var (oldIp, oldMac) = tcp ? NetworkStatus.Read(Path.Combine(folder, CheckpointLayout.NetworkStatus)) : (null, null);
                    var request = new NetworkRequest { Ip = oldIp, Mac = oldIp is null ? null : oldMac, Hold = true };
                    var (stats, phases) = await RestoreProcessAsync(rec, folder, tcp, kept.FileLocks,
                        rebuildUpperFrom: folder, request, ct).ConfigureAwait(false);
                    return new ImportResult(ToInfo(rec), kept with { Path = folder }, read.Compression, stats, [.. read.Phases, .. phases], read.Warnings);
                }
                catch
                {
                    await Runtime.ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
                    Archives.TreeDeleter.TryDelete(_paths.Container(rec.Id));
                    throw;
                }
            }
        }
        finally
        {
            Archives.TreeDeleter.TryDelete(staging); // a no-op once it was moved into place
        }
    }

    /// <summary>Unpacks an archive file into a private temporary folder (with the checks of an import: safe members,
    /// manifest), runs <paramref name="read"/> on it, and removes the folder; for inspecting archives.</summary>
    public async Task<T> ReadCheckpointArchiveAsync<T>(string file, Func<string, Task<T>> read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!File.Exists(file)) throw StasisException.NotFound($"no such file: {file}");
        var parent = Directory.CreateTempSubdirectory("stasis-archive-").FullName;
        try
        {
            var folder = Path.Combine(parent, "checkpoint");
            using (var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                CheckpointArchiveReader.Extract(input, folder, input.Length, null, null, ct);
            return await read(folder).ConfigureAwait(false);
        }
        finally
        {
            Archives.TreeDeleter.TryDelete(parent);
        }
    }

    private static void CheckArchitecture(string folder, CheckpointInfo? info)
    {
        var arch = info?.Architecture ?? CpuArchitecture.FromImages(Path.Combine(folder, CheckpointLayout.CriuImages));
        if (arch is not null && arch != CpuArchitecture.Host)
            throw new StasisException(StasisErrorCode.Unsupported,
                $"the archive was made on a {arch} machine and this host is {CpuArchitecture.Host}: CRIU restores only on the architecture it dumped on");
    }

    /// <summary>The image an archive names, also when another engine spelled it with its registry prefix
    /// (Podman's localhost/NAME:TAG for an imported image, docker.io/library/NAME for a pulled one).</summary>
    private ImageInfo ResolveArchivedImage(string name)
    {
        foreach (var candidate in ImageNameCandidates(name))
            if (Images.TryResolve(candidate) is { } found) return found;
        throw StasisException.NotFound(
            $"the archive needs the image {name}, which is not in this store: load it first, e.g. `stasis image import ROOTFS.tar {StripRegistry(name)}` (a rootfs tarball) or `stasis image load` (an image archive)");
    }

    private static IEnumerable<string> ImageNameCandidates(string name)
    {
        yield return name;
        var stripped = StripRegistry(name);
        if (stripped != name) yield return stripped;
    }

    private static string StripRegistry(string name)
    {
        foreach (var prefix in new[] { "localhost/", "docker.io/library/", "docker.io/" })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
        return name;
    }
}
