namespace Stasis.Images;

/// <summary>One image found in an archive, every digest already checked: its names, its raw config and its
/// layers (bottom first), ready to be put in the store.</summary>
internal sealed record LoadableImage(
    IReadOnlyList<string> Names,
    byte[] ConfigJson,
    string ConfigSha256,
    ParsedImageConfig Config,
    IReadOnlyList<StagedLayer> Layers);
