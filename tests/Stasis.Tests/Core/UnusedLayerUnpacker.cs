using Stasis.Images;

namespace Stasis.Tests.Core;

/// <summary>For image store tests that never unpack a layer.</summary>
internal sealed class UnusedLayerUnpacker : ILayerUnpacker
{
    public Task<(string Digest, long Size, int Entries)> UnpackAsync(Stream tar, string targetDir, CancellationToken ct) =>
        throw new InvalidOperationException("this test does not unpack layers");
}
