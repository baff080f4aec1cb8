namespace Stasis.Images;

/// <summary>A layer tar unpacked into a staging folder (<see cref="Dir"/>/diff) while its archive was read, not yet
/// in the store. <see cref="DiffSha256"/> is the sha256 of the uncompressed tar: the layer's diff id.</summary>
internal sealed record StagedLayer(string Dir, string DiffSha256, long DiffSize, int Entries);
