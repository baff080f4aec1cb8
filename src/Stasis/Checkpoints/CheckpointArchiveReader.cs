using System.Diagnostics;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>Unpacks a checkpoint archive (compression detected from its bytes) into a new folder, all or nothing:
/// decompression runs a step ahead on a core of its own, every member is hashed as it is written, and the folder
/// appears only when no member is unsafe (climbing out, absolute, escaping links, devices) and every member matches
/// stasis.manifest. The caller's check runs on the complete folder before it is moved into place.
/// Synchronous on the calling thread (see <see cref="TarExtraction"/> for why).</summary>
internal static class CheckpointArchiveReader
{
    public static ArchiveReadResult Extract(Stream input, string target, long? totalBytes,
        IProgress<ArchiveProgress>? progress, Action<string>? validate, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var transfer = new MeteredStream(input, progress is null ? null : b => progress.Report(new ArchiveProgress(b, totalBytes)), leaveOpen: true);
        var detected = Compression.DetectAndOpen(transfer, leaveOpen: true);
        var warnings = new List<string>();
        TimeSpan sourceBusy;
        using (var decompressed = detected.Stream)
        {
            using var ahead = new ReadAheadStream(decompressed, ct);
            SafeTarExtractor.Extract(ahead, target, new TarExtractOptions
            {
                StrictSymlinks = true,
                AllowDevices = false,
                ComputeFileDigests = true,
                ComputeStreamDigest = false, // the manifest is checked member by member
                Validate = (folder, result, _) =>
                {
                    Verify(folder, result, warnings);
                    validate?.Invoke(folder);
                    return ValueTask.CompletedTask;
                },
            }, ct);
            sourceBusy = ahead.SourceBusy;
        }
        var elapsed = sw.Elapsed;
        var decompress = sourceBusy - transfer.Busy;
        return new ArchiveReadResult(detected.Kind, transfer.Bytes, warnings,
        [
            new PhaseTiming("transfer", transfer.Busy),
            new PhaseTiming("decompress", decompress < TimeSpan.Zero ? TimeSpan.Zero : decompress),
            new PhaseTiming("unpack and verify", elapsed),
        ]);
    }

    private static void Verify(string folder, TarExtractResult result, List<string> warnings)
    {
        if (File.Exists(Path.Combine(folder, CheckpointLayout.Manifest)))
        {
            IntegrityManifest.VerifyOrThrow(folder, result.Files!);
            return;
        }
        // Podman and CRI-O write no manifest; a Stasis archive without one was cut short or tampered with.
        if (Directory.EnumerateFileSystemEntries(folder, "stasis.*").Any())
            throw StasisException.BadArchive($"The archive has no {CheckpointLayout.Manifest}: it was cut short or altered.");
        if (!Directory.Exists(Path.Combine(folder, CheckpointLayout.CriuImages)))
            throw StasisException.BadArchive($"The archive holds no {CheckpointLayout.CriuImages}/ folder of CRIU images: it is not a checkpoint archive.");
        warnings.Add($"the archive has no {CheckpointLayout.Manifest} (another engine wrote it), so its integrity could not be checked");
    }
}
