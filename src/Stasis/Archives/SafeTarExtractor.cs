using Stasis.Interop;

namespace Stasis.Archives;

/// <summary>Extracts a tar stream (plain, gzip or zstd, detected from its bytes) into a new folder, all or nothing:
/// members land in a hidden sibling folder that is renamed into place only when every member succeeded, and is
/// removed completely on any failure. Hostile members (climbing out, absolute names, writes through symlinks,
/// escaping links, unexpected devices) are refused with <see cref="StasisErrorCode.BadArchive"/>.
/// The work is synchronous (see <see cref="TarExtraction"/>); the async forms run it on the calling thread.</summary>
internal static class SafeTarExtractor
{
    /// <summary>Extracts into <paramref name="targetDir"/>, which must not exist; its parent must.</summary>
    public static TarExtractResult Extract(Stream input, string targetDir, TarExtractOptions? options, CancellationToken ct) =>
        Run(input, targetDir, options ?? new TarExtractOptions(), intoEmpty: false, ct);

    /// <inheritdoc cref="Extract"/>
    public static Task<TarExtractResult> ExtractAsync(Stream input, string targetDir, TarExtractOptions? options, CancellationToken ct)
    {
        try { return Task.FromResult(Extract(input, targetDir, options, ct)); }
        catch (Exception e) { return Task.FromException<TarExtractResult>(e); }
    }

    /// <summary>Like <see cref="Extract"/>, but <paramref name="targetDir"/> may already exist as an empty folder,
    /// which the extracted tree then replaces (rename(2) replaces an empty folder atomically).</summary>
    public static TarExtractResult ExtractIntoEmpty(Stream input, string targetDir, TarExtractOptions? options, CancellationToken ct) =>
        Run(input, targetDir, options ?? new TarExtractOptions(), intoEmpty: true, ct);

    /// <inheritdoc cref="ExtractIntoEmpty"/>
    public static Task<TarExtractResult> ExtractIntoEmptyAsync(Stream input, string targetDir, TarExtractOptions? options, CancellationToken ct)
    {
        try { return Task.FromResult(ExtractIntoEmpty(input, targetDir, options, ct)); }
        catch (Exception e) { return Task.FromException<TarExtractResult>(e); }
    }

    private static TarExtractResult Run(Stream input, string targetDir, TarExtractOptions options, bool intoEmpty, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDir));
        var parent = Path.GetDirectoryName(target) ?? throw StasisException.Invalid("Cannot extract into the file system root.");
        if (!Directory.Exists(parent)) throw StasisException.NotFound($"The folder '{parent}' does not exist.");
        CheckTarget(target, intoEmpty);

        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        LibcFileMode.Mkdir(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var extraction = new TarExtraction(temp, options);
        try
        {
            var detected = Compression.DetectAndOpen(input, leaveOpen: true);
            using var decompressed = detected.Stream;
            using var hashing = new HashingStream(decompressed, leaveOpen: true, hash: options.ComputeStreamDigest);
            extraction.Run(hashing, ct);
            var result = new TarExtractResult(options.ComputeStreamDigest ? hashing.GetSha256Hex() : "", hashing.BytesHashed, extraction.Entries, detected.Kind, extraction.Digests);
            if (options.Validate is { } validate)
            {
                var pending = validate(temp, result, ct);
                if (pending.IsCompleted) pending.GetAwaiter().GetResult();
                else pending.AsTask().GetAwaiter().GetResult();
            }
            if (intoEmpty) LibcLinks.Rename(temp, target);
            else LibcLinks.RenameNoReplace(temp, target);
            return result;
        }
        catch (Exception e)
        {
            TreeDeleter.TryDelete(temp);
            throw Translate(e, extraction.CurrentMember, target);
        }
    }

    private static void CheckTarget(string target, bool intoEmpty)
    {
        if (!LibcStat.TryLstat(target, out var st)) return;
        if (!intoEmpty) throw StasisException.Conflict($"Cannot extract into '{target}': it already exists.");
        if (!st.IsDirectory || Directory.EnumerateFileSystemEntries(target).Any())
            throw StasisException.Conflict($"Cannot extract into '{target}': it is not an empty folder.");
    }

    private static Exception Translate(Exception e, string? member, string target)
    {
        var where = member is null ? "" : $" (at member '{member}')";
        return e switch
        {
            StasisException or OperationCanceledException => e,
            _ when LibcErrno.IsNoSpace(e) =>
                new StasisException(StasisErrorCode.NoSpace, $"No space left on the device while extracting into '{target}'{where}; nothing was kept.", e),
            EndOfStreamException or InvalidDataException or FormatException =>
                StasisException.BadArchive($"The archive is truncated or damaged{where}: {e.Message}", e),
            IOException or UnauthorizedAccessException =>
                new StasisException(StasisErrorCode.General, $"Extracting into '{target}' failed{where}: {e.Message}", e),
            _ => e,
        };
    }
}
