using Stasis.Archives;
using Stasis.Checkpoints;
using Stasis.Interop;

namespace Stasis;

/// <summary>Checkpoint archives out: a named checkpoint, or a fresh one, streamed as one archive to a file or a stream.</summary>
public sealed partial class Engine
{
    /// <summary>Writes an existing named checkpoint as an archive to <paramref name="output"/> (e.g. stdout).</summary>
    public async Task<ExportResult> ExportCheckpointAsync(string container, string checkpoint, Stream output, ExportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new ExportOptions();
        var rec = _containers.Resolve(container);
        // Held while reading, so `checkpoint rm` cannot pull the folder away mid-archive.
        using var _ = await LockAsync(rec.Id, ct).ConfigureAwait(false);
        var dir = ResolveCheckpointDirectory(rec.Id, checkpoint);
        var info = CheckpointStore.TryRead(dir) ?? throw StasisException.NotFound($"checkpoint '{checkpoint}' of {rec.Name} has no readable {CheckpointLayout.Metadata}");
        var written = WriteArchive(dir, output, null, options, ct);
        return new ExportResult(info, written.RawBytes, written.ArchiveBytes, written.Phases);
    }

    /// <summary>Writes an existing named checkpoint as an archive file (mode 0600, never visible half-written).</summary>
    public async Task<ExportResult> ExportCheckpointAsync(string container, string checkpoint, string file, ExportOptions? options = null, CancellationToken ct = default)
    {
        using var partial = PartialFile.Create(file);
        var result = await ExportCheckpointAsync(container, checkpoint, partial.Stream, options, ct).ConfigureAwait(false);
        Commit(partial, options?.Sync ?? false, ct);
        return result;
    }

    /// <summary>Checkpoints a running container and streams the new checkpoint as an archive to <paramref name="output"/>.
    /// The checkpoint is also kept as a named checkpoint of the container. If the export fails after the checkpoint
    /// stopped the container, the container is restored from that checkpoint, so it keeps running and nothing is lost.</summary>
    public Task<ExportResult> CheckpointAndExportAsync(string container, CheckpointOptions? checkpoint, Stream output, ExportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        return CheckpointAndExportAsync(container, checkpoint, output, null, options, ct);
    }

    /// <summary>Like the stream overload, into a file (mode 0600, written as FILE.partial and renamed when complete).
    /// The file is opened before the dump, so an unwritable target stops nothing.</summary>
    public Task<ExportResult> CheckpointAndExportAsync(string container, CheckpointOptions? checkpoint, string file, ExportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return CheckpointAndExportAsync(container, checkpoint, null, file, options, ct);
    }

    /// <summary>One async method for both overloads (each async method costs a dozen generic instantiations to JIT per
    /// CLI call): into <paramref name="stream"/>, or into <paramref name="fileName"/> through a <see cref="PartialFile"/>.</summary>
    private async Task<ExportResult> CheckpointAndExportAsync(string container, CheckpointOptions? checkpoint, Stream? stream, string? fileName,
        ExportOptions? options, CancellationToken ct)
    {
        PartialFile? file = null;
        if (fileName is not null)
        {
            _containers.Resolve(container);
            file = PartialFile.Create(fileName);
        }
        using var _ = file;
        var output = stream ?? file!.Stream;
        checkpoint ??= new CheckpointOptions();
        options ??= new ExportOptions();
        // Into a file, the memory pages are packed while CRIU writes them (see DumpPagesStreamer).
        using var streamer = file is not null && DumpPagesStreamer.Supports(options.Compression)
            ? new DumpPagesStreamer(file.Stream, options.Compression, options.Progress, options.Sync)
            : null;
        var cp = await CheckpointAsync(container, checkpoint, streamer, ct).ConfigureAwait(false);
        var info = cp.Checkpoint;
        try
        {
            ArchiveWriteResult written;
            using (await LockAsync(info.ContainerId, ct).ConfigureAwait(false))
            {
                var streamed = streamer?.TryComplete(ct);
                written = streamed is null
                    ? WriteArchive(info.Path!, output, file?.Target, options, ct)
                    : FinishArchive(info.Path!, streamed, file!.Target, options, ct);
            }
            if (file is not null) Commit(file, options.Sync, ct);
            return new ExportResult(info, written.RawBytes, written.ArchiveBytes, [.. cp.Phases, .. written.Phases]);
        }
        catch (Exception e)
        {
            var failure = e as StasisException ?? ExportFailure(e, file?.Target);
            if (checkpoint.LeaveRunning)
            {
                if (e is OperationCanceledException) throw;
                throw new StasisException(failure.Code, $"{failure.Message}; {info.ContainerName} keeps running and its checkpoint '{info.Name}' is kept", e);
            }
            try
            {
                await RestoreAsync(info.ContainerId, new RestoreOptions { Checkpoint = info.Name }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StasisException restoreError)
            {
                throw new StasisException(failure.Code,
                    $"{failure.Message}; bringing {info.ContainerName} back failed too ({restoreError.Message}): its checkpoint '{info.Name}' is kept, restore it with `stasis restore {info.ContainerName} --checkpoint {info.Name}`", e);
            }
            if (e is OperationCanceledException) throw;
            throw new StasisException(failure.Code, $"{failure.Message}; {info.ContainerName} was restored from its checkpoint '{info.Name}' (kept) and keeps running", e);
        }
    }

    private static ArchiveWriteResult WriteArchive(string folder, Stream output, string? file, ExportOptions options, CancellationToken ct)
    {
        try
        {
            // Into a file that must reach the disk, its writeback starts as it is written, so the final fsync has
            // little left to wait for.
            var sink = options.Sync && output is FileStream { CanSeek: true } fs ? new WritebackStream(fs) : output;
            return CheckpointArchiveWriter.Write(folder, sink, options.Compression, options.Progress, ct);
        }
        catch (IOException e)
        {
            throw ExportFailure(e, file);
        }
    }

    private static ArchiveWriteResult FinishArchive(string folder, StreamedPages streamed, string file, ExportOptions options, CancellationToken ct)
    {
        try
        {
            return CheckpointArchiveWriter.Finish(folder, streamed, options.Progress, ct);
        }
        catch (IOException e)
        {
            throw ExportFailure(e, file);
        }
    }

    private static void Commit(PartialFile file, bool durable, CancellationToken ct)
    {
        try
        {
            file.Commit(durable, ct);
        }
        catch (IOException e)
        {
            throw ExportFailure(e, file.Target);
        }
    }

    private static StasisException ExportFailure(Exception e, string? file)
    {
        var target = file ?? "the output stream";
        var nothingKept = file is null ? "" : " (nothing was left behind)";
        return LibcErrno.IsNoSpace(e)
            ? new StasisException(StasisErrorCode.NoSpace, $"no space left on the device while writing {target}{nothingKept}", e)
            : new StasisException(StasisErrorCode.General, $"writing the archive to {target} failed{nothingKept}: {e.Message}", e);
    }
}
