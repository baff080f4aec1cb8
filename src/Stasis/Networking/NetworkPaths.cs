namespace Stasis.Networking;

/// <summary>Where networking keeps its files: definitions with the persistent state, allocations and
/// attachments with the runtime state (they describe live namespaces, so they end with them at reboot).</summary>
internal sealed class NetworkPaths(StorePaths paths)
{
    /// <summary>One CNI configuration list per network: NAME.conflist.</summary>
    public string Configs => Path.Combine(paths.Root, "networks");
    public string Config(string name) => Path.Combine(Configs, name + ".conflist");
    /// <summary>Serialises network changes with attachments (port and name checks).</summary>
    public string Lock => Path.Combine(Configs, ".lock");
    /// <summary>host-local's dataDir: one folder per network, one file per allocated address.</summary>
    public string Ipam => Path.Combine(paths.RunRoot, "networks", "ipam");
    public string IpamNetwork(string name) => Path.Combine(Ipam, name);
    public string Attachments => Path.Combine(paths.RunRoot, "networks", "attachments");
    /// <summary>What was asked of CNI for a container and what it answered; present while the container is attached.</summary>
    public string Attachment(string containerId) => Path.Combine(Attachments, containerId + ".json");
}
