namespace Stasis.Archives;

/// <summary>Called for every member after its name passed the safety checks and before the extractor acts on it.
/// Return true when the handler dealt with the member itself (the extractor then skips it), false to let the
/// extractor proceed. Image import uses this to turn OCI ".wh." whiteout files into overlayfs whiteouts.</summary>
internal delegate ValueTask<bool> TarEntryHandler(TarEntryContext context, CancellationToken ct);
