namespace Stasis.Images;

/// <summary>One regular file of an image archive, as read in a single pass: its sha256 (an OCI blob's digest),
/// and either its bytes (small metadata such as JSON) or the layer tree unpacked from it.</summary>
internal sealed class ArchiveMember
{
    public required string Name { get; init; }

    /// <summary>Lower-case hex sha256 of the member's bytes as stored (compressed, for a compressed layer).</summary>
    public required string Sha256 { get; init; }

    public long Size { get; init; }

    /// <summary>The bytes of a member that does not look like a tar; null for layers and oversized members.</summary>
    public byte[]? Content { get; init; }

    public StagedLayer? Layer { get; init; }

    /// <summary>Why a member that looked like a (possibly compressed) tar could not be unpacked; raised only if an
    /// image actually uses it.</summary>
    public StasisException? LayerError { get; init; }
}
