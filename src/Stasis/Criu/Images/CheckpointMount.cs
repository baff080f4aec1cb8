namespace Stasis.Criu.Images;

/// <summary>A mount of a dumped mount namespace.</summary>
public sealed record CheckpointMount(int MountId, int ParentMountId, string MountPoint, string FsType, string Source, string Root, string Options);
