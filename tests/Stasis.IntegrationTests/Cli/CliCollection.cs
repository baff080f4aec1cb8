using Xunit;

namespace Stasis.IntegrationTests.Cli;

/// <summary>The CLI tests run one after another: each starts real containers and CRIU on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    public const string Name = "Stasis CLI";
}
