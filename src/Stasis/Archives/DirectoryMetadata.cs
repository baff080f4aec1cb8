namespace Stasis.Archives;

/// <summary>A folder's mode and time, applied once everything inside it was extracted (a class: a dictionary over a
/// value type is one more generic instantiation to JIT per call).</summary>
internal sealed record DirectoryMetadata(UnixFileMode Mode, DateTimeOffset Mtime);
