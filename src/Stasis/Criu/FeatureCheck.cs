namespace Stasis.Criu;

/// <summary>One CRIU kernel feature (criu check --feature NAME) and what it means for users.</summary>
public sealed record FeatureCheck(string Name, bool Available, string Meaning);
