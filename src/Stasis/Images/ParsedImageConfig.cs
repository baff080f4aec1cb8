namespace Stasis.Images;

/// <summary>What Stasis takes from an OCI / Docker image config JSON.</summary>
internal sealed record ParsedImageConfig(ImageConfig Config, DateTimeOffset? Created, IReadOnlyList<string> DiffIds);
