using Stasis.Archives;

namespace Stasis.Checkpoints;

/// <summary>An archive whose memory-page members are already written: the rest of the members go on through
/// <see cref="Packer"/> (a fresh zstd frame, or the plain file), which the caller disposes to end the archive.</summary>
internal sealed record StreamedPages(Stream Packer, MeteredStream Transfer, IReadOnlyList<StreamedMember> Members, long RawBytes,
    IReadOnlyList<PhaseTiming> Phases);
