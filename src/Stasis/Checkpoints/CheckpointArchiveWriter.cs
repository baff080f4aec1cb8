using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>Streams a checkpoint folder as one archive: a PAX tar with Podman's member names, compressed on the fly,
/// every file hashed as it is packed. The manifest made from those digests goes last, so nothing is read twice.
/// Synchronous on the calling thread (local files; zstd's workers compress meanwhile): the async path of TarWriter
/// and of these streams cost ~200 methods to JIT per export, which ReadyToRun cannot precompile.</summary>
internal static class CheckpointArchiveWriter
{
    /// <summary>Small members an importer needs to judge the archive (which container, image, architecture): first,
    /// so they arrive before the bulk of the memory pages.</summary>
    private static readonly string[] LeadingMembers = [CheckpointLayout.Metadata, CheckpointLayout.ConfigDump, CheckpointLayout.SpecDump];

    public static ArchiveWriteResult Write(string folder, Stream output, CompressionKind compression,
        IProgress<ArchiveProgress>? progress, CancellationToken ct)
    {
        var total = CheckpointStore.FolderSize(folder);
        var sw = Stopwatch.StartNew();
        var transfer = new MeteredStream(output, leaveOpen: true);
        var compressor = Compression.OpenCompressing(transfer, compression, leaveOpen: true);
        var packed = new MeteredStream(compressor, progress is null ? null : b => progress.Report(new ArchiveProgress(b, total)));
        using (packed)
            WriteMembers(folder, packed, new Dictionary<string, FileDigest>(StringComparer.Ordinal), ct);
        transfer.Flush();
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

    /// <summary>Ends an archive whose page images <see cref="DumpPagesStreamer"/> already wrote during the dump: the
    /// other members, then the manifest (with the streamed members' digests), then the end of the tar.</summary>
    public static ArchiveWriteResult Finish(string folder, StreamedPages streamed, IProgress<ArchiveProgress>? progress, CancellationToken ct)
    {
        var total = CheckpointStore.FolderSize(folder);
        var sw = Stopwatch.StartNew();
        var packed = new MeteredStream(streamed.Packer, progress is null ? null : b => progress.Report(new ArchiveProgress(streamed.RawBytes + b, total)));
        var digests = new Dictionary<string, FileDigest>(StringComparer.Ordinal);
        foreach (var m in streamed.Members) digests[m.Path] = m.Digest;
        using (packed)
            WriteMembers(folder, packed, digests, ct);
        streamed.Transfer.Flush();
        return new ArchiveWriteResult(streamed.RawBytes + packed.Bytes, streamed.Transfer.Bytes,
            [.. streamed.Phases, new PhaseTiming("pack the rest", sw.Elapsed)]);
    }

    /// <summary>Every member not in <paramref name="digests"/> yet (those were written already), then the manifest of
    /// all of them, then the end of the tar. Disposing <paramref name="packed"/> is the caller's.</summary>
    private static void WriteMembers(string folder, Stream packed, Dictionary<string, FileDigest> digests, CancellationToken ct)
    {
        using var writer = new TarWriter(packed, TarEntryFormat.Pax, leaveOpen: true);
        var leading = new List<string>(LeadingMembers.Length);
        foreach (var m in LeadingMembers)
            if (File.Exists(Path.Combine(folder, m))) leading.Add(m);
        if (leading.Count > 0) Merge(digests, TarDirectoryWriter.Write(folder, writer,
            new TarWriteOptions { Paths = leading, ComputeFileDigests = true }, ct));
        var written = new HashSet<string>(digests.Keys, StringComparer.Ordinal);
        Merge(digests, TarDirectoryWriter.Write(folder, writer, new TarWriteOptions
        {
            Include = rel => !written.Contains(rel) && rel != CheckpointLayout.Manifest,
            ComputeFileDigests = true,
        }, ct));
        var manifest = Encoding.UTF8.GetBytes(IntegrityManifest.FromDigests(digests).Format());
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, CheckpointLayout.Manifest)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            ModificationTime = DateTimeOffset.UtcNow,
            DataStream = new MemoryStream(manifest),
        });
    }

    private static void Merge(Dictionary<string, FileDigest> into, TarWriteResult result)
    {
        if (result.Files is null) return;
        foreach (var (path, digest) in result.Files) into[path] = digest;
    }
}
