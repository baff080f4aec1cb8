namespace Stasis.Images;

/// <summary>A blob written for `image save`: in memory (metadata) or in a temporary file (layers).</summary>
internal sealed record SavedBlob(string Sha256, long Size, byte[]? Content, string? File);
