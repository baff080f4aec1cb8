using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Stasis.Archives;

namespace Stasis.IntegrationTests.Archives;

/// <summary>Rewrites a real checkpoint archive member by member (uncompressed), optionally with a fresh manifest, to
/// build the damaged and hostile archives an import must refuse.</summary>
internal static class ArchiveTamper
{
    public static async Task<string> RewriteAsync(string archive, string output, Func<TarEntry, byte[]?, IEnumerable<(TarEntry Entry, byte[]? Data)>> map,
        bool refreshManifest = false)
    {
        var members = new List<(TarEntry, byte[]?)>();
        await using (var input = File.OpenRead(archive))
        {
            var detected = await Compression.OpenDecompressingAsync(input, CancellationToken.None);
            await using var tar = detected.Stream;
            using var reader = new TarReader(tar);
            while (await reader.GetNextEntryAsync(copyData: true) is { } e)
            {
                byte[]? data = null;
                if (e.DataStream is { } ds)
                {
                    using var ms = new MemoryStream();
                    await ds.CopyToAsync(ms);
                    data = ms.ToArray();
                }
                members.AddRange(map(e, data));
            }
        }
        if (refreshManifest)
        {
            var lines = members.Where(m => m.Item1.EntryType == TarEntryType.RegularFile && m.Item1.Name != "stasis.manifest")
                .Select(m => (m.Item1.Name, Data: m.Item2 ?? []))
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => $"{Convert.ToHexStringLower(SHA256.HashData(m.Data))}  {m.Data.Length}  {m.Name}\n");
            var manifest = Encoding.UTF8.GetBytes(string.Concat(lines));
            members.RemoveAll(m => m.Item1.Name == "stasis.manifest");
            members.Add((new PaxTarEntry(TarEntryType.RegularFile, "stasis.manifest"), manifest));
        }
        await using (var fs = File.Create(output))
        await using (var w = new TarWriter(fs, TarEntryFormat.Pax))
        {
            foreach (var (entry, data) in members)
            {
                var copy = entry is PaxTarEntry pax ? pax : new PaxTarEntry(entry);
                if (data is not null) copy.DataStream = new MemoryStream(data);
                await w.WriteEntryAsync(copy);
            }
        }
        return output;
    }
}
