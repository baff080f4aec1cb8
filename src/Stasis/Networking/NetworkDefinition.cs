using System.Net;
using System.Text.Json.Nodes;

namespace Stasis.Networking;

/// <summary>A stored network: its CNI configuration list and the facts Stasis reads out of it.</summary>
internal sealed record NetworkDefinition(string Name, string Bridge, IPNetwork Subnet, IPAddress Gateway, string ConfigPath, JsonObject ConfList)
{
    public bool IsDefault => Name == NetworkModes.DefaultNetwork;
}
