namespace Stasis.Images;

/// <summary>The numeric identity a container process runs as, from an image User spec.</summary>
internal sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string? Home)
{
    public static readonly ResolvedUser Root = new(0, 0, [], null);
}
