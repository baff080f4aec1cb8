using System.Diagnostics;
using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>Unpacks a checkpoint archive (compression detected from its bytes) into a new folder, all or nothing:
/// decompression runs a step ahead on a core of its own, every member is hashed as it is written, and the folder
/// appears only when no member is unsafe (climbing out, absolute, escaping links, devices) and every member matches
/// stasis.manifest. The caller's check runs on the complete folder before it is moved into place.</summary>
internal static class CheckpointArchiveReader
{
    public static async Task<ArchiveReadResult> ExtractAsync(Stream input, string target, long? totalBytes,
        IProgress<ArchiveProgress>? progress, Func<string, CancellationToken, ValueTask>? validate, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var transfer = new MeteredStream(input, progress is null ? null : b => progress.Report(new ArchiveProgress(b, totalBytes)), leaveOpen: true);
        var detected = await Compression.OpenDecompressingAsync(transfer, leaveOpen: true, ct).ConfigureAwait(false);
        var warnings = new List<string>();
        TimeSpan sourceBusy;
        await using (var decompressed = detected.Stream)
        {
            await using var ahead = new ReadAheadStream(decompressed, ct);
            await SafeTarExtractor.ExtractAsync(ahead, target, new TarExtractOptions
            {
                StrictSymlinks = true,
                AllowDevices = false,
                ComputeFileDigests = true,
                ComputeStreamDigest = false, // the manifest is checked member by member
                Validate = async (folder, result, token) =>
                {
                    await VerifyAsync(folder, result, warnings, token).ConfigureAwait(false);
                    if (validate is not null) await validate(folder, token).ConfigureAwait(false);
                },
            }, ct).ConfigureAwait(false);
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

    private static async Task VerifyAsync(string folder, TarExtractResult result, List<string> warnings, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(folder, CheckpointLayout.Manifest)))
        {
            await IntegrityManifest.VerifyOrThrowAsync(folder, result.Files, ct).ConfigureAwait(false);
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
