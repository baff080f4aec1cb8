namespace Stasis.Images;

/// <summary>A layer kept once under layers/&lt;digest&gt;/ (the unpacked tree in "diff", this record beside it).</summary>
internal sealed record LayerInfo(string Digest, long Size, int Entries, DateTimeOffset Created);
