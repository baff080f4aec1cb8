using Stasis.Networking;
using Stasis.Util;

namespace Stasis;

public sealed partial class Engine
{
    private NetworkStore NetworkStore => Runtime.Network.Store;

    /// <summary>Creates a bridge network; without a subnet the first free 10.77.N.0/24 is chosen, and the gateway
    /// defaults to the subnet's first address.</summary>
    public async Task<NetworkInfo> CreateNetworkAsync(string name, string? subnet = null, string? gateway = null, CancellationToken ct = default)
    {
        using var _ = await FileLock.AcquireAsync(NetworkStore.Paths.Lock, ct).ConfigureAwait(false);
        return ToInfo(await NetworkStore.CreateAsync(name, subnet, gateway, ct).ConfigureAwait(false));
    }

    /// <summary>All networks, the default one first.</summary>
    public IReadOnlyList<NetworkInfo> ListNetworks() => NetworkStore.List().Select(ToInfo).ToList();

    public NetworkInfo InspectNetwork(string name) => ToInfo(NetworkStore.Get(name));

    /// <summary>Removes a network no container uses (in any state), its address allocations and its bridge.</summary>
    public async Task RemoveNetworkAsync(string name, CancellationToken ct = default)
    {
        using var _ = await FileLock.AcquireAsync(NetworkStore.Paths.Lock, ct).ConfigureAwait(false);
        var network = NetworkStore.Get(name);
        var users = _containers.List().Where(c => c.Network == network.Name).Select(c => c.Name).ToList();
        if (users.Count > 0)
            throw StasisException.Conflict($"network {name} is used by container(s) {string.Join(", ", users)}: remove them first");
        NetworkStore.Remove(network.Name);
        // The bridge plugin leaves its bridge behind on DEL; with the network gone nothing needs it.
        if (Directory.Exists($"/sys/class/net/{network.Bridge}"))
        {
            var r = await ProcessRunner.RunAsync("ip", ["link", "delete", network.Bridge, "type", "bridge"], ct).ConfigureAwait(false);
            if (!r.Succeeded) throw new StasisException(StasisErrorCode.Runtime, $"network {name} is removed but its bridge {network.Bridge} is not: {r.Reason}");
        }
    }

    private NetworkInfo ToInfo(NetworkDefinition n) => new()
    {
        Name = n.Name,
        Bridge = n.Bridge,
        Subnet = n.Subnet.ToString(),
        Gateway = n.Gateway.ToString(),
        IsDefault = n.IsDefault,
        ConfigPath = n.ConfigPath,
        Containers = _containers.List().Where(c => c.Network == n.Name).Select(c => c.Name).Order(StringComparer.Ordinal).ToList(),
    };
}
