namespace Stasis.Networking.Netlink;

/// <summary>An interface's root qdisc: its kind ("tbf" …), its handle, and the packets waiting in it.</summary>
internal readonly record struct QdiscInfo(string Kind, uint Handle, uint Packets);
