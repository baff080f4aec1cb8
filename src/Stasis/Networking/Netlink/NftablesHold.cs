namespace Stasis.Networking.Netlink;

/// <summary>The drop layer of the traffic hold as an nf_tables table of its own in the container's network
/// namespace: table inet "stasis_hold" with an input base chain and one rule that accepts loopback. The chain's
/// policy is the switch: drop while held, accept otherwise. Made once, then flipped with one netlink batch per
/// hold and release, in-process (iptables(8) through nsenter(1) took two processes and ~12 ms per call). The
/// table stays when released: deleting it would unregister its hook, which waits for an RCU grace period
/// (~10 ms here) on the restore's critical path; an accepting chain costs a packet next to nothing, and the
/// namespace takes the table with it when it goes.</summary>
internal static class NftablesHold
{
    public const string Table = "stasis_hold";
    private const ushort Subsystem = 10 << 8; // NFNL_SUBSYS_NFTABLES
    private const ushort NewTable = Subsystem | 0, GetTable = Subsystem | 1;
    private const ushort NewChain = Subsystem | 3, GetChain = Subsystem | 4, NewRule = Subsystem | 6;
    private const uint Drop = 0, Accept = 1;
    private const ushort BatchBegin = 0x10, BatchEnd = 0x11;
    private const byte FamilyInet = 1; // NFPROTO_INET: IPv4 and IPv6 alike
    private const int ENOENT = 2;

    /// <summary>Holds: the chain's policy to drop, the table made first when it is not there yet.</summary>
    public static void Insert(string netns)
    {
        using var socket = NetlinkSocket.OpenIn(netns, Interop.LibcSockets.NETLINK_NETFILTER);
        var batch = TableExists(socket) ? PolicyBatch(NetlinkSocket.NextSequences(4), Drop) : InsertBatch(NetlinkSocket.NextSequences(8));
        socket.Transact(batch, "cannot hold the container's traffic (nf_tables)");
    }

    /// <summary>Releases: the chain's policy to accept when it is drop (a commit costs the kernel 5–10 ms, so it is
    /// only made when needed); nothing to do when the table is not there. Returns whether the namespace also has
    /// the older iptables hold (see <see cref="LegacyRulePresent(string)"/>), read on the same socket.</summary>
    public static bool Release(string netns)
    {
        using var socket = NetlinkSocket.OpenIn(netns, Interop.LibcSockets.NETLINK_NETFILTER);
        if (IsDropping(socket))
            socket.Transact(PolicyBatch(NetlinkSocket.NextSequences(4), Accept), "cannot release the container's traffic hold (nf_tables)");
        return LegacyRulePresent(socket);
    }

    /// <summary>True when the namespace still has the iptables rule (comment "stasis-hold") with which Stasis
    /// before 2026-11-22 held traffic: a container checkpointed by that version and restored by this one. One
    /// netlink dump of table ip filter, chain INPUT; usually answered "no such table".</summary>
    public static bool LegacyRulePresent(string netns)
    {
        using var socket = NetlinkSocket.OpenIn(netns, Interop.LibcSockets.NETLINK_NETFILTER);
        return LegacyRulePresent(socket);
    }

    private static bool LegacyRulePresent(NetlinkSocket socket)
    {
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1))
            .Begin(Subsystem | 7 /* NFT_MSG_GETRULE */, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_DUMP)
            .Header(Nfgen(2 /* NFPROTO_IPV4 */, 0))
            .AttrString(1 /* NFTA_RULE_TABLE */, "filter").AttrString(2 /* NFTA_RULE_CHAIN */, "INPUT");
        try
        {
            // iptables-nft keeps a rule's comment in its user data: the marker is in the rule's bytes.
            return socket.Dump(w, "cannot look for an older traffic hold").Any(rule => rule.AsSpan().IndexOf("stasis-hold"u8) >= 0);
        }
        catch (NetlinkException e) when (e.Errno == ENOENT)
        {
            return false;
        }
    }

    /// <summary>True while the namespace's traffic is held (the chain's policy is drop).</summary>
    public static bool Exists(string netns)
    {
        using var socket = NetlinkSocket.OpenIn(netns, Interop.LibcSockets.NETLINK_NETFILTER);
        return IsDropping(socket);
    }

    private static bool IsDropping(NetlinkSocket socket)
    {
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1))
            .Begin(GetChain, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(FamilyInet, 0))
            .AttrString(1 /* NFTA_CHAIN_TABLE */, Table).AttrString(3 /* NFTA_CHAIN_NAME */, "input");
        return socket.QueryIfExists(w, "cannot look for the traffic hold (nf_tables)") is { } chain
            && NetlinkAttribute.TryFind(chain.AsSpan(4), 5 /* NFTA_CHAIN_POLICY */, out var policy)
            && policy.Length == 4 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(policy) == Drop;
    }

    private static bool TableExists(NetlinkSocket socket)
    {
        var w = new NetlinkWriter(NetlinkSocket.NextSequences(1))
            .Begin(GetTable, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(FamilyInet, 0)).AttrString(1, Table);
        return socket.QueryIfExists(w, "cannot look for the traffic hold (nf_tables)") is not null;
    }

    /// <summary>Sets the policy of the existing chain (an update: no NLM_F_CREATE, so a missing one is ENOENT).</summary>
    internal static NetlinkWriter PolicyBatch(uint firstSequence, uint policy)
    {
        var w = new NetlinkWriter(firstSequence);
        w.Begin(BatchBegin, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(0, Subsystem >> 8));
        w.Begin(NewChain, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK).Header(Nfgen(FamilyInet, 0))
            .AttrString(1 /* NFTA_CHAIN_TABLE */, Table)
            .AttrString(3 /* NFTA_CHAIN_NAME */, "input")
            .AttrU32BigEndian(5 /* NFTA_CHAIN_POLICY */, policy);
        w.Begin(BatchEnd, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(0, Subsystem >> 8));
        return w.End();
    }

    internal static NetlinkWriter InsertBatch(uint firstSequence)
    {
        const ushort create = NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK | NetlinkWriter.NLM_F_CREATE;
        var w = new NetlinkWriter(firstSequence);
        w.Begin(BatchBegin, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(0, Subsystem >> 8));
        w.Begin(NewTable, create).Header(Nfgen(FamilyInet, 0)).AttrString(1 /* NFTA_TABLE_NAME */, Table);
        w.Begin(NewChain, create).Header(Nfgen(FamilyInet, 0))
            .AttrString(1 /* NFTA_CHAIN_TABLE */, Table)
            .AttrString(3 /* NFTA_CHAIN_NAME */, "input")
            .BeginNested(4 /* NFTA_CHAIN_HOOK */)
            .AttrU32BigEndian(1 /* NFTA_HOOK_HOOKNUM */, 1 /* NF_INET_LOCAL_IN */)
            .AttrU32BigEndian(2 /* NFTA_HOOK_PRIORITY */, 0)
            .EndNested()
            .AttrU32BigEndian(5 /* NFTA_CHAIN_POLICY */, Drop)
            .AttrString(7 /* NFTA_CHAIN_TYPE */, "filter");
        // iif == 1 (loopback is interface 1 in every namespace) -> accept: the container still talks to itself.
        Span<byte> loopback = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(loopback, 1);
        w.Begin(NewRule, create).Header(Nfgen(FamilyInet, 0))
            .AttrString(1 /* NFTA_RULE_TABLE */, Table)
            .AttrString(2 /* NFTA_RULE_CHAIN */, "input")
            .BeginNested(4 /* NFTA_RULE_EXPRESSIONS */)
            .BeginNested(1 /* NFTA_LIST_ELEM */).AttrString(1 /* NFTA_EXPR_NAME */, "meta").BeginNested(2 /* NFTA_EXPR_DATA */)
            .AttrU32BigEndian(1 /* NFTA_META_DREG */, 1 /* NFT_REG_1 */).AttrU32BigEndian(2 /* NFTA_META_KEY */, 4 /* NFT_META_IIF */)
            .EndNested().EndNested()
            .BeginNested(1).AttrString(1, "cmp").BeginNested(2)
            .AttrU32BigEndian(1 /* NFTA_CMP_SREG */, 1).AttrU32BigEndian(2 /* NFTA_CMP_OP */, 0 /* NFT_CMP_EQ */)
            .BeginNested(3 /* NFTA_CMP_DATA */).Attr(1 /* NFTA_DATA_VALUE */, loopback).EndNested()
            .EndNested().EndNested()
            .BeginNested(1).AttrString(1, "immediate").BeginNested(2)
            .AttrU32BigEndian(1 /* NFTA_IMMEDIATE_DREG */, 0 /* NFT_REG_VERDICT */)
            .BeginNested(2 /* NFTA_IMMEDIATE_DATA */).BeginNested(2 /* NFTA_DATA_VERDICT */)
            .AttrU32BigEndian(1 /* NFTA_VERDICT_CODE */, 1 /* NF_ACCEPT */)
            .EndNested().EndNested()
            .EndNested().EndNested()
            .EndNested();
        w.Begin(BatchEnd, NetlinkWriter.NLM_F_REQUEST).Header(Nfgen(0, Subsystem >> 8));
        return w.End();
    }

    /// <summary>struct nfgenmsg: family, version 0, resource id (big-endian; the subsystem for batch messages).</summary>
    private static byte[] Nfgen(byte family, int resourceId) => [family, 0, (byte)(resourceId >> 8), (byte)resourceId];
}
