using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>Streams a checkpoint folder as one archive: a PAX tar with Podman's member names, compressed on the fly,
/// every file hashed as it is packed. The manifest made from those digests goes last, so nothing is read twice.</summary>
internal static class CheckpointArchiveWriter
{
    /// <summary>Small members an importer needs to judge the archive (which container, image, architecture): first,
    /// so they arrive before the bulk of the memory pages.</summary>
    private static readonly string[] LeadingMembers = [CheckpointLayout.Metadata, CheckpointLayout.ConfigDump, CheckpointLayout.SpecDump];

    public static async Task<ArchiveWriteResult> WriteAsync(string folder, Stream output, CompressionKind compression,
        IProgress<ArchiveProgress>? progress, CancellationToken ct)
    {
        var total = CheckpointStore.FolderSize(folder);
        var sw = Stopwatch.StartNew();
        var transfer = new MeteredStream(output, leaveOpen: true);
        var compressor = Compression.OpenCompressing(transfer, compression, leaveOpen: true);
        var packed = new MeteredStream(compressor, progress is null ? null : b => progress.Report(new ArchiveProgress(b, total)));
        var digests = new Dictionary<string, FileDigest>(StringComparer.Ordinal);
        await using (packed)
        {
            await using var writer = new TarWriter(packed, TarEntryFormat.Pax, leaveOpen: true);
            var leading = LeadingMembers.Where(m => File.Exists(Path.Combine(folder, m))).ToList();
            if (leading.Count > 0) Merge(digests, await TarDirectoryWriter.WriteAsync(folder, writer,
                new TarWriteOptions { Paths = leading, ComputeFileDigests = true }, ct).ConfigureAwait(false));
            Merge(digests, await TarDirectoryWriter.WriteAsync(folder, writer, new TarWriteOptions
            {
                Include = rel => !leading.Contains(rel) && rel != CheckpointLayout.Manifest,
                ComputeFileDigests = true,
            }, ct).ConfigureAwait(false));
            var manifest = Encoding.UTF8.GetBytes(IntegrityManifest.FromDigests(digests).Format());
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, CheckpointLayout.Manifest)
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ModificationTime = DateTimeOffset.UtcNow,
                DataStream = new MemoryStream(manifest),
            }, ct).ConfigureAwait(false);
        }
        await transfer.FlushAsync(ct).ConfigureAwait(false);
        var elapsed = sw.Elapsed;
        // One thread packs; compression (zstd's own workers) and the writes run inside its calls, so the time in
        // each layer is measured where it is spent.
        var compress = packed.Busy - transfer.Busy;
        return new ArchiveWriteResult(packed.Bytes, transfer.Bytes,
        [
            new PhaseTiming("pack", elapsed - packed.Busy),
            new PhaseTiming("compress", compress < TimeSpan.Zero ? TimeSpan.Zero : compress),
            new PhaseTiming("transfer", transfer.Busy),
            new PhaseTiming("export total", elapsed),
        ]);
    }

    private static void Merge(Dictionary<string, FileDigest> into, TarWriteResult result)
    {
        foreach (var (path, digest) in result.Files ?? new Dictionary<string, FileDigest>()) into[path] = digest;
    }
}
