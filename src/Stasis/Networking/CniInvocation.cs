namespace Stasis.Networking;

/// <summary>The per-call facts the CNI spec passes in the environment (CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME).</summary>
internal sealed record CniInvocation(string ContainerId, string Netns, string IfName = "eth0");
