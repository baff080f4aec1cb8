using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stasis.Checkpoints;
using Stasis.Interop;
using Stasis.Util;

namespace Stasis.Archives;

/// <summary>sha256 and size of every regular file of a checkpoint folder, kept in the folder as
/// <c>stasis.manifest</c> (one "&lt;sha256&gt;  &lt;size&gt;  &lt;path&gt;" line per file, sorted, excluding itself), so a damaged
/// or altered archive is caught before anything is restored.</summary>
internal sealed class IntegrityManifest
{
    public const string FileName = CheckpointLayout.Manifest;
    private const int HashBufferSize = 1 << 20;

    private IntegrityManifest(List<ManifestEntry> entries)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        Entries = entries;
    }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Hashes every regular file below <paramref name="folder"/> (in parallel, one file per core).</summary>
    public static async Task<IntegrityManifest> ComputeAsync(string folder, CancellationToken ct)
    {
        var files = Scan(folder, out _);
        var entries = new ManifestEntry[files.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        await Parallel.ForAsync(0, files.Count, options, async (i, token) =>
        {
            var digest = await HashFileAsync(Path.Combine(folder, files[i]), token).ConfigureAwait(false);
            entries[i] = new ManifestEntry(files[i], digest.Size, digest.Sha256);
        }).ConfigureAwait(false);
        return new IntegrityManifest([.. entries]);
    }

    /// <summary>A manifest from digests taken while writing or extracting a tar (the manifest file itself is left out).</summary>
    public static IntegrityManifest FromDigests(IReadOnlyDictionary<string, FileDigest> digests)
    {
        var entries = new List<ManifestEntry>(digests.Count);
        foreach (var (path, digest) in digests)
            if (path != FileName) entries.Add(new ManifestEntry(path, digest.Size, digest.Sha256));
        return new IntegrityManifest(entries);
    }

    /// <summary>Computes the manifest of <paramref name="folder"/> and writes it there atomically.</summary>
    public static async Task<IntegrityManifest> WriteAsync(string folder, CancellationToken ct)
    {
        var manifest = await ComputeAsync(folder, ct).ConfigureAwait(false);
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), manifest.Format());
        return manifest;
    }

    public string Format()
    {
        var sb = new StringBuilder();
        foreach (var e in Entries)
        {
            if (e.Path.AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw StasisException.Invalid($"Cannot list '{e.Path}' in a manifest: its name contains a line break.");
            sb.Append(e.Sha256).Append("  ").Append(e.Size.ToString(CultureInfo.InvariantCulture)).Append("  ").Append(e.Path).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Reads manifest text; a malformed line or an unsafe path is a damaged archive.</summary>
    public static IntegrityManifest Parse(string text)
    {
        var entries = new List<ManifestEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var first = line.IndexOf("  ", StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf("  ", first + 2, StringComparison.Ordinal);
            if (first != 64 || second < 0 || !IsLowerHex(line.AsSpan(0, 64)) ||
                !long.TryParse(line.AsSpan(first + 2, second - first - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                throw StasisException.BadArchive($"{FileName} is damaged: line {lineNo} is not '<sha256>  <size>  <path>'.");
            }
            var path = line[(second + 2)..];
            if (!TarPaths.TryNormalize(path, out var normalized, out _) || normalized != path || path.Length == 0)
                throw StasisException.BadArchive($"{FileName} is damaged: line {lineNo} names an unsafe path '{path}'.");
            if (!seen.Add(path)) throw StasisException.BadArchive($"{FileName} is damaged: '{path}' is listed twice.");
            entries.Add(new ManifestEntry(path, size, line[..64]));
        }
        return new IntegrityManifest(entries);
    }

    /// <summary>Checks <paramref name="folder"/> against its own stasis.manifest and returns every problem found
    /// (empty when all is well). Digests already taken while extracting can be passed to avoid reading files again.</summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(string folder, IReadOnlyDictionary<string, FileDigest>? knownDigests, CancellationToken ct)
    {
        if (knownDigests is not null) return Verify(folder, knownDigests);
        var manifestPath = Path.Combine(folder, FileName);
        if (!LibcStat.TryLstat(manifestPath, out var st) || !st.IsRegular) return [$"{FileName} is missing."];
        var expected = Parse(await File.ReadAllTextAsync(manifestPath, ct).ConfigureAwait(false));
        Scan(folder, out var others);
        return Problems(expected, await ComputeAsync(folder, ct).ConfigureAwait(false), others);
    }

    /// <summary><see cref="VerifyAsync"/> with the digests taken while extracting: nothing is read but the manifest.</summary>
    public static IReadOnlyList<string> Verify(string folder, IReadOnlyDictionary<string, FileDigest> knownDigests)
    {
        var manifestPath = Path.Combine(folder, FileName);
        if (!LibcStat.TryLstat(manifestPath, out var st) || !st.IsRegular) return [$"{FileName} is missing."];
        var expected = Parse(File.ReadAllText(manifestPath));
        var files = new HashSet<string>(Scan(folder, out var others), StringComparer.Ordinal);
        var actual = new List<ManifestEntry>(files.Count);
        foreach (var (path, digest) in knownDigests)
            if (files.Contains(path)) actual.Add(new ManifestEntry(path, digest.Size, digest.Sha256));
        return Problems(expected, new IntegrityManifest(actual), others);
    }

    /// <summary>Like <see cref="VerifyAsync"/>, but throws BadArchive naming every problem.</summary>
    public static async Task VerifyOrThrowAsync(string folder, IReadOnlyDictionary<string, FileDigest>? knownDigests, CancellationToken ct) =>
        ThrowIfAny(await VerifyAsync(folder, knownDigests, ct).ConfigureAwait(false));

    /// <summary>Like <see cref="Verify"/>, but throws BadArchive naming every problem.</summary>
    public static void VerifyOrThrow(string folder, IReadOnlyDictionary<string, FileDigest> knownDigests) =>
        ThrowIfAny(Verify(folder, knownDigests));

    private static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
            throw StasisException.BadArchive($"The checkpoint does not match its manifest:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
    }

    private static List<string> Problems(IntegrityManifest expected, IntegrityManifest actual, List<string> others)
    {
        var problems = expected.Compare(actual);
        foreach (var other in others) problems.Add($"Unexpected member '{other}': it is not a regular file or folder and is not in {FileName}.");
        return problems;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    /// <summary>Differences between this (expected) manifest and <paramref name="actual"/>, one message per member.</summary>
    public List<string> Compare(IntegrityManifest actual)
    {
        var problems = new List<string>();
        var have = new Dictionary<string, ManifestEntry>(actual.Entries.Count, StringComparer.Ordinal);
        foreach (var e in actual.Entries) have.Add(e.Path, e);
        foreach (var e in Entries)
        {
            if (!have.Remove(e.Path, out var a)) problems.Add($"Missing member '{e.Path}' (listed in {FileName}).");
            else if (a.Size != e.Size) problems.Add($"Member '{e.Path}' has {a.Size} bytes, {FileName} says {e.Size}.");
            else if (!string.Equals(a.Sha256, e.Sha256, StringComparison.Ordinal)) problems.Add($"Member '{e.Path}' does not match its sha256 in {FileName}: it was altered or damaged.");
        }
        var extras = new List<string>(have.Keys);
        extras.Sort(StringComparer.Ordinal);
        foreach (var extra in extras) problems.Add($"Unexpected member '{extra}' (not listed in {FileName}).");
        return problems;
    }

    public static async Task<FileDigest> HashFileAsync(string path, CancellationToken ct)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            long offset = 0;
            int n;
            while ((n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, HashBufferSize), offset, ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                offset += n;
            }
            return new FileDigest(offset, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Relative paths of the regular files (minus the manifest) and, separately, of anything that is
    /// neither a regular file nor a folder. Symlinks are never followed.</summary>
    private static List<string> Scan(string folder, out List<string> others)
    {
        var files = new List<string>();
        others = [];
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var rel = pending.Pop();
            foreach (var full in Directory.EnumerateFileSystemEntries(rel.Length == 0 ? folder : Path.Combine(folder, rel)))
            {
                var childRel = rel.Length == 0 ? Path.GetFileName(full) : rel + "/" + Path.GetFileName(full);
                var st = LibcStat.Lstat(full);
                if (st.IsDirectory) pending.Push(childRel);
                else if (st.IsRegular) { if (childRel != FileName) files.Add(childRel); }
                else others.Add(childRel);
            }
        }
        files.Sort(StringComparer.Ordinal);
        others.Sort(StringComparer.Ordinal);
        return files;
    }
}
