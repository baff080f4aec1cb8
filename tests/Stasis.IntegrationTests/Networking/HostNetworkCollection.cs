using Xunit;

namespace Stasis.IntegrationTests.Networking;

/// <summary>The networking tests compare the host's links, iptables rules and allocations before and after; every
/// other test's containers join the default bridge network too, so these run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostNetworkCollection
{
    public const string Name = "host network state";
}
