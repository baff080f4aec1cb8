namespace Stasis.Criu.Images;

/// <summary>What a checkpoint holds, as read from its CRIU images.</summary>
/// <param name="ImagesDirectory">The CRIU images folder that was read.</param>
/// <param name="ImageVersion">CRIU's image format version from inventory.img.</param>
/// <param name="Processes">The process tree in pstree order (parents before children).</param>
/// <param name="Sockets">Null unless sockets were asked for.</param>
/// <param name="Mounts">Null unless mounts were asked for; empty when no mount namespace was dumped.</param>
/// <param name="Stats">Null unless stats were asked for or when CRIU wrote none.</param>
public sealed record CheckpointInspection(
    string ImagesDirectory,
    int ImageVersion,
    ValueList<CheckpointProcess> Processes,
    ValueList<CheckpointSocket>? Sockets = null,
    ValueList<CheckpointMount>? Mounts = null,
    CriuStatistics? Stats = null);
