namespace Stasis.Containers;

/// <summary>One line of `stasis diff`: A (added), C (changed) or D (deleted), and the path inside the container.</summary>
public sealed record RootfsChange(char Kind, string Path);
