namespace Stasis.Runtime;

/// <summary>A bind mount for the spec: host path (a folder or a volume's data) → container path. A class rather than
/// a tuple: a list of a value-type tuple is generic code JIT-compiled at every container start.</summary>
internal sealed record BindMount(string Source, string Destination, bool ReadOnly);
