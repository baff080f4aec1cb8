using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Stasis.Archives;

/// <summary>Interim layer unpacker (replaced by the safe extractor).</summary>
internal sealed class TarLayerUnpacker : Images.ILayerUnpacker
{
    public async Task<(string Digest, long Size, int Entries)> UnpackAsync(Stream tar, string targetDir, CancellationToken ct)
    {
        var buffered = new BufferedStream(tar, 1 << 16);
        var head = new byte[2];
        var n = await buffered.ReadAsync(head, ct);
        var all = new MemoryStream();
        all.Write(head, 0, n);
        await buffered.CopyToAsync(all, ct);
        all.Position = 0;
        Stream s = head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(all, CompressionMode.Decompress) : all;
        var raw = new MemoryStream();
        await s.CopyToAsync(raw, ct);
        raw.Position = 0;
        var digest = Convert.ToHexStringLower(SHA256.HashData(raw.ToArray()));
        Directory.CreateDirectory(targetDir);
        await TarFile.ExtractToDirectoryAsync(raw, targetDir, false, ct);
        return (digest, raw.Length, 0);
    }
}
