namespace Stasis.Images;

/// <summary>Unpacks a (possibly compressed) layer tar into a new folder, safely, returning the uncompressed tar's sha256.</summary>
internal interface ILayerUnpacker
{
    Task<(string Digest, long Size, int Entries)> UnpackAsync(Stream tar, string targetDir, CancellationToken ct);
}
