using Stasis.Archives;
using Stasis.Containers;
using Stasis.Criu;

namespace Stasis.Checkpoints;

/// <summary>The container an import created and restored, the compression found, CRIU's figures, the time of each
/// phase, and warnings (e.g. an archive of another engine carries no manifest to check).</summary>
public sealed record ImportResult(
    ContainerInfo Container,
    CheckpointInfo Checkpoint,
    CompressionKind Compression,
    CriuRestoreStats? Stats,
    IReadOnlyList<PhaseTiming> Phases,
    IReadOnlyList<string> Warnings);
