namespace Stasis.Checkpoints;

/// <summary>Sees CRIU's image folder while a dump writes it, so work on the images (an export packing the memory
/// pages) can overlap the dump instead of following it.</summary>
internal interface IDumpObserver
{
    /// <summary>Called just before the dump starts writing into <paramref name="imagesFolder"/>.</summary>
    void DumpStarting(string imagesFolder);

    /// <summary>Called as soon as the dump ended, before the folder is moved. Must not throw.</summary>
    void DumpEnded(bool succeeded);
}
