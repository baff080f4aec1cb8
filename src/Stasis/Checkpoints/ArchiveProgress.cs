namespace Stasis.Checkpoints;

/// <summary>How far an export or import got: bytes of checkpoint data packed (export) or of archive read (import),
/// out of <see cref="TotalBytes"/> when that is known (it is not for an import from a pipe).</summary>
public readonly record struct ArchiveProgress(long Bytes, long? TotalBytes);
