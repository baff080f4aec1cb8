using System.Diagnostics;
using Stasis.Containers;
using Stasis.Images;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    /// <summary>Creates a container (rootfs, namespace, runc container held by conmon) without starting its process.</summary>
    public async Task<ContainerInfo> CreateAsync(CreateOptions options, CancellationToken ct = default)
    {
        Util.StartupTrace.Mark("create: entered");
        var image = Images.Resolve(options.Image);
        Util.StartupTrace.Mark("create: image resolved");
        var command = options.Command.Count > 0
            ? image.Config.Entrypoint.Concat(options.Command).ToList()
            : image.Config.Entrypoint.Concat(image.Config.Cmd).ToList();
        if (command.Count == 0)
            throw StasisException.Invalid($"no command given and image {options.Image} defines none");
        var env = MergeEnv(image.Config.Env, options.Env);
        var workDir = options.WorkingDir ?? (image.Config.WorkingDir.Length > 0 ? image.Config.WorkingDir : "/");
        if (!workDir.StartsWith('/')) throw StasisException.Invalid($"the working directory must be absolute: {workDir}");
        var mounts = options.Volumes.Select(VolumeMount.Parse).ToList();
        foreach (var dup in mounts.GroupBy(m => m.Destination.TrimEnd('/')).Where(g => g.Count() > 1))
            throw StasisException.Invalid($"two volumes are mounted at {dup.Key}");
        foreach (var m in mounts.Where(m => m.Type == VolumeMount.Bind && !Directory.Exists(m.Source) && !File.Exists(m.Source)))
            throw StasisException.NotFound($"the host path {m.Source} does not exist");
        var (network, ip, ports) = Runtime.Network.Validate(options.Network, options.Ip, options.Ports);

        ContainerRecord rec;
        using (await FileLock.AcquireAsync(_paths.StoreLock, ct).ConfigureAwait(false))
        {
            var id = ContainerStore.NewId();
            rec = new ContainerRecord
            {
                Id = id,
                Name = _containers.ChooseName(options.Name),
                Image = image.Names.FirstOrDefault() ?? image.Id,
                ImageId = image.Id,
                Command = command,
                Env = env,
                WorkingDir = workDir,
                User = options.User ?? image.Config.User,
                Network = network,
                Ip = ip,
                Ports = ports,
                Interactive = options.Interactive,
                Mounts = mounts,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            // Named volumes that do not exist yet are created, as `podman run -v NAME:/dir` does.
            foreach (var m in mounts.Where(m => m.Type == VolumeMount.Volume)) Volumes.Create(m.Source, existingOk: true);
            Directory.CreateDirectory(_paths.Container(id));
            File.WriteAllBytes(_paths.ContainerLock(id), []);
            _containers.Save(rec);
        }
        Util.StartupTrace.Mark("create: recorded");
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            try
            {
                await CreateProcessAsync(rec, ct).ConfigureAwait(false);
            }
            catch
            {
                // No half-made container: everything created above goes again.
                await Runtime.ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
                Directory.Delete(_paths.Container(rec.Id), recursive: true);
                throw;
            }
            return ToInfo(rec);
        }
    }

    private async Task CreateProcessAsync(ContainerRecord rec, CancellationToken ct)
    {
        await Runtime.PrepareAsync(rec, ct).ConfigureAwait(false);
        await Runtime.LaunchAsync(rec, null, [], ct).ConfigureAwait(false);
        rec.State = ContainerState.Created;
        rec.ExitCode = null;
        rec.UpperMatchesLastCheckpoint = false;
        _containers.Save(rec);
    }

    /// <summary>Starts a created container; an exited one runs its command again from the start.</summary>
    public async Task<ContainerInfo> StartAsync(string container, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            rec = await RefreshAsync(_containers.Load(rec.Id), ct).ConfigureAwait(false);
            switch (rec.State)
            {
                case ContainerState.Running:
                    throw StasisException.Conflict($"container {rec.Name} is already running");
                case ContainerState.Checkpointed:
                    throw StasisException.Conflict(
                        $"container {rec.Name} is checkpointed: `stasis restore {rec.Name}` brings it back where it stopped (or `stasis rm {rec.Name}` to discard it)");
                case ContainerState.Exited:
                    await Runtime.ReleaseAsync(rec, ct).ConfigureAwait(false);
                    await CreateProcessAsync(rec, ct).ConfigureAwait(false);
                    break;
            }
            Util.StartupTrace.Mark("start: created");
            try
            {
                await Runtime.Runc.StartAsync(rec.Id, ct).ConfigureAwait(false);
                Util.StartupTrace.Mark("start: runc start done");
            }
            catch
            {
                await Runtime.ReleaseAsync(rec, CancellationToken.None).ConfigureAwait(false);
                rec.State = ContainerState.Exited;
                rec.ExitCode = -1;
                _containers.Save(rec);
                throw;
            }
            rec.State = ContainerState.Running;
            rec.StartedAt = DateTimeOffset.UtcNow;
            rec.FinishedAt = null;
            _containers.Save(rec);
            return ToInfo(rec);
        }
    }

    /// <summary>create + start.</summary>
    public async Task<ContainerInfo> RunAsync(CreateOptions options, CancellationToken ct = default)
    {
        var created = await CreateAsync(options, ct).ConfigureAwait(false);
        try
        {
            return await StartAsync(created.Id, ct).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(created.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>SIGTERM, then SIGKILL after the timeout; releases the rootfs mount and namespace.</summary>
    public async Task<ContainerInfo> StopAsync(string container, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            rec = await RefreshAsync(_containers.Load(rec.Id), ct).ConfigureAwait(false);
            if (rec.State is ContainerState.Running or ContainerState.Created)
                await StopProcessAsync(rec, timeout ?? TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            return ToInfo(rec);
        }
    }

    private async Task StopProcessAsync(ContainerRecord rec, TimeSpan timeout, CancellationToken ct)
    {
        var runc = Runtime.Runc;
        int? code = null;
        if (rec.State == ContainerState.Running && timeout > TimeSpan.Zero)
        {
            await runc.KillAsync(rec.Id, 15, ct).ConfigureAwait(false);
            code = await Runtime.WaitForExitAsync(rec, timeout, ct).ConfigureAwait(false);
        }
        if (code is null)
        {
            await runc.KillAsync(rec.Id, 9, ct).ConfigureAwait(false);
            code = await Runtime.WaitForExitAsync(rec, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false) ?? 137;
        }
        await Runtime.ReleaseAsync(rec, ct).ConfigureAwait(false);
        rec.State = ContainerState.Exited;
        rec.ExitCode = code;
        rec.FinishedAt = DateTimeOffset.UtcNow;
        _containers.Save(rec);
    }

    /// <summary>Sends a signal (number or name: 9, KILL, SIGKILL) to the container's first process.</summary>
    public async Task KillAsync(string container, string signal = "KILL", CancellationToken ct = default)
    {
        var number = Signals.Parse(signal);
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            rec = await RefreshAsync(_containers.Load(rec.Id), ct).ConfigureAwait(false);
            if (rec.State != ContainerState.Running)
                throw StasisException.Conflict($"container {rec.Name} is not running");
            await Runtime.Runc.KillAsync(rec.Id, number, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a container and everything it owns, checkpoints included; -f stops it first.</summary>
    public async Task RemoveAsync(string container, bool force = false, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
        {
            rec = _containers.TryLoad(rec.Id) ?? throw StasisException.NotFound($"no such container: {container}");
            rec = await RefreshAsync(rec, ct).ConfigureAwait(false);
            if (rec.State is ContainerState.Running or ContainerState.Created)
            {
                if (!force && rec.State == ContainerState.Running)
                    throw StasisException.Conflict($"container {rec.Name} is running: stop it first or use `rm -f`");
                await StopProcessAsync(rec, TimeSpan.Zero, ct).ConfigureAwait(false);
            }
            await Runtime.ReleaseAsync(rec, ct).ConfigureAwait(false);
            Directory.Delete(_paths.Container(rec.Id), recursive: true);
        }
    }

    /// <summary>All containers (running ones only unless <paramref name="all"/>), oldest first.</summary>
    public async Task<IReadOnlyList<ContainerInfo>> ListAsync(bool all = false, CancellationToken ct = default)
    {
        var list = new List<ContainerInfo>();
        // List.Sort with a comparison is precompiled; OrderBy over a DateTimeOffset key is JIT-compiled at every start.
        var records = _containers.List().ToList();
        records.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
        foreach (var rec in records)
        {
            var current = rec;
            // A container busy with another command is shown as it was last recorded rather than waited for.
            FileLock? l;
            try { l = FileLock.TryAcquire(_paths.ContainerLock(rec.Id), create: false); }
            catch (StasisException e) when (e.Code == StasisErrorCode.NotFound) { continue; } // removed meanwhile
            using (l)
                if (l is not null && _containers.TryLoad(rec.Id) is { } fresh)
                    current = await RefreshAsync(fresh, ct).ConfigureAwait(false);
            if (all || current.State == ContainerState.Running) list.Add(ToInfo(current));
        }
        return list;
    }

    public async Task<ContainerInfo> InspectAsync(string container, CancellationToken ct = default)
    {
        var rec = _containers.Resolve(container);
        using (await LockAsync(rec.Id, ct).ConfigureAwait(false))
            return ToInfo(await RefreshAsync(_containers.Load(rec.Id), ct).ConfigureAwait(false));
    }

    /// <summary>Runs a command in a running container (runc exec). Output passes through unless captured.</summary>
    public async Task<ExecResult> ExecAsync(string container, ExecOptions options, CancellationToken ct = default)
    {
        if (options.Command.Count == 0) throw StasisException.Invalid("exec needs a command");
        var info = await InspectAsync(container, ct).ConfigureAwait(false);
        if (info.State != ContainerState.Running) throw StasisException.Conflict($"container {info.Name} is not running");
        var psi = new ProcessStartInfo(Tools.Runc)
        {
            UseShellExecute = false,
            RedirectStandardInput = !options.Interactive,
            RedirectStandardOutput = options.CaptureOutput,
            RedirectStandardError = options.CaptureOutput,
        };
        foreach (var a in new[] { "--root", _paths.RuncRoot, "exec" }) psi.ArgumentList.Add(a);
        if (options.Tty) psi.ArgumentList.Add("--tty");
        if (options.WorkingDir is { } cwd) { psi.ArgumentList.Add("--cwd"); psi.ArgumentList.Add(cwd); }
        foreach (var e in options.Env) { psi.ArgumentList.Add("--env"); psi.ArgumentList.Add(e); }
        psi.ArgumentList.Add(info.Id);
        foreach (var a in options.Command) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new StasisException(StasisErrorCode.Runtime, "runc exec did not start");
        if (!options.Interactive) p.StandardInput.Close();
        var stdout = options.CaptureOutput ? p.StandardOutput.ReadToEndAsync(ct) : Task.FromResult<string>(null!);
        var stderr = options.CaptureOutput ? p.StandardError.ReadToEndAsync(ct) : Task.FromResult<string>(null!);
        try
        {
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Only the runc exec we started is ended; the container keeps running.
            try { p.Kill(entireProcessTree: false); } catch (InvalidOperationException) { }
            throw;
        }
        return new ExecResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Releases what an exited container still holds; conmon calls this (through the CLI) when the
    /// container's process ends. A notice from an earlier run (other generation) changes nothing.</summary>
    public async Task CleanupAsync(string containerId, string? generation, CancellationToken ct = default)
    {
        if (_containers.TryLoad(containerId) is null) return;
        try
        {
            using (await LockAsync(containerId, ct).ConfigureAwait(false))
            {
                var rec = _containers.TryLoad(containerId);
                if (rec is null || (generation is not null && rec.Generation != generation)) return;
                await RefreshAsync(rec, ct).ConfigureAwait(false);
            }
        }
        catch (StasisException e) when (e.Code == StasisErrorCode.NotFound)
        {
            // Removed while this notice waited for the lock: nothing left to release.
        }
    }

    /// <summary>Brings a record up to date with reality: a process that ended is recorded as exited and its
    /// runtime resources are released. Call with the container's lock held.</summary>
    private async Task<ContainerRecord> RefreshAsync(ContainerRecord rec, CancellationToken ct)
    {
        if (rec.State is not (ContainerState.Running or ContainerState.Created)) return rec;
        var code = Runtime.ReadExitCode(rec);
        if (code is null)
        {
            if (Interop.LibcProc.IsAlive(rec.Pid)) return rec;
            if (rec.ConmonPid > 0 && Interop.LibcProc.IsAlive(rec.ConmonPid))
            {
                // The process is gone and conmon is about to record it.
                await Runtime.WaitForConmonAsync(rec, TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
                code = Runtime.ReadExitCode(rec);
            }
        }
        await Runtime.ReleaseAsync(rec, ct).ConfigureAwait(false);
        rec.State = ContainerState.Exited;
        rec.ExitCode = code ?? -1;
        rec.FinishedAt ??= DateTimeOffset.UtcNow;
        _containers.Save(rec);
        return rec;
    }

    private async Task<FileLock> LockAsync(string id, CancellationToken ct)
    {
        try
        {
            return await FileLock.AcquireAsync(_paths.ContainerLock(id), ct, create: false).ConfigureAwait(false);
        }
        catch (StasisException e) when (e.Code == StasisErrorCode.NotFound)
        {
            throw StasisException.NotFound($"no such container: {_containers.TryLoad(id)?.Name ?? id} (it was removed)");
        }
    }

    private ContainerInfo ToInfo(ContainerRecord rec) => ToInfo(rec, Runtime.Network.TryGetAttachment(rec.Id));

    private ContainerInfo ToInfo(ContainerRecord rec, Networking.NetworkAttachment? net) => new()
    {
        Id = rec.Id,
        Name = rec.Name,
        Image = rec.Image,
        ImageId = rec.ImageId,
        Command = rec.Command,
        Env = rec.Env,
        WorkingDir = rec.WorkingDir,
        Network = rec.Network,
        IpAddress = net?.Ip,
        MacAddress = net?.Mac,
        Ports = rec.Ports.Select(p => p.ToString()).ToList(),
        Mounts = rec.Mounts,
        State = rec.State,
        Pid = rec.State == ContainerState.Running || rec.State == ContainerState.Created ? rec.Pid : 0,
        ExitCode = rec.State == ContainerState.Exited ? rec.ExitCode : null,
        CreatedAt = rec.CreatedAt,
        StartedAt = rec.StartedAt,
        FinishedAt = rec.FinishedAt,
        Checkpoints = ListCheckpointNames(rec.Id),
        LastCheckpoint = rec.LastCheckpoint,
        RestoredFrom = rec.RestoredFrom,
        Rootfs = _paths.Rootfs(rec.Id),
        Bundle = _paths.Bundle(rec.Id),
        LogPath = _paths.Log(rec.Id),
    };

    private static List<string> MergeEnv(IEnumerable<string> imageEnv, IEnumerable<string> userEnv)
    {
        var merged = new List<string>();
        void Set(string kv)
        {
            var eq = kv.IndexOf('=');
            if (eq <= 0) throw StasisException.Invalid($"environment entries must be KEY=VALUE: '{kv}'");
            var key = kv[..(eq + 1)];
            merged.RemoveAll(e => e.StartsWith(key, StringComparison.Ordinal));
            merged.Add(kv);
        }
        Set("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        foreach (var e in imageEnv) Set(e);
        foreach (var e in userEnv) Set(e);
        return merged;
    }
}
