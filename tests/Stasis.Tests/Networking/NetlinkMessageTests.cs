using System.Buffers.Binary;
using System.Text;
using Shouldly;
using Stasis.Networking;
using Stasis.Networking.Netlink;
using Xunit;

namespace Stasis.Tests.Networking;

/// <summary>The traffic hold talks to the kernel in netlink bytes it builds itself; a wrong length, padding or
/// attribute number is refused by the kernel (or worse, read as something else), so the layout is pinned here.
/// The integration tests check that the kernel accepts and applies what these bytes say.</summary>
public sealed class NetlinkMessageTests
{
    [Fact]
    public void A_message_has_its_total_length_flags_and_sequence_in_the_header_and_attributes_padded_to_four_bytes()
    {
        var w = new NetlinkWriter(41).Begin(36, NetlinkWriter.NLM_F_REQUEST | NetlinkWriter.NLM_F_ACK)
            .Header([1, 2, 3, 4]).AttrString(1, "tbf").End();
        var b = w.Bytes.ToArray();
        BinaryPrimitives.ReadUInt32LittleEndian(b).ShouldBe((uint)b.Length);
        BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4)).ShouldBe((ushort)36);
        BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(6)).ShouldBe((ushort)5);
        BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)).ShouldBe(41u);
        // header 16 + family header 4 + attribute (4 + "tbf\0" = 8)
        b.Length.ShouldBe(28);
        BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(20)).ShouldBe((ushort)8);
        Encoding.ASCII.GetString(b, 24, 4).ShouldBe("tbf\0");
        w.AckedSequences.ToArray().ShouldBe([41u]);
    }

    [Fact]
    public void A_nested_attribute_covers_its_children_and_carries_the_nested_flag()
    {
        var b = new NetlinkWriter(1).Begin(1, 1).BeginNested(4).AttrU32BigEndian(1, 1).AttrString(2, "x").EndNested().End().Bytes.ToArray();
        var nested = b.AsSpan(16);
        BinaryPrimitives.ReadUInt16LittleEndian(nested).ShouldBe((ushort)(4 + 8 + 8));
        BinaryPrimitives.ReadUInt16LittleEndian(nested[2..]).ShouldBe((ushort)(0x8000 | 4));
        BinaryPrimitives.ReadUInt32BigEndian(nested[8..]).ShouldBe(1u, "nf_tables numbers are big-endian");
        NetlinkAttribute.TryFind(nested[4..], 2, out var x).ShouldBeTrue();
        x.ToArray().ShouldBe("x\0"u8.ToArray());
        NetlinkAttribute.TryFind(nested[4..], 3, out _).ShouldBeFalse();
    }

    [Fact]
    public void The_hold_batch_is_begin_table_chain_rule_end_and_only_the_inner_three_ask_for_an_answer()
    {
        var w = NftablesHold.InsertBatch(100);
        var types = new List<ushort>();
        var bytes = w.Bytes;
        for (var at = 0; NetlinkSocket.Next(bytes, ref at, out var type, out var seq, out _, out _);) types.Add(type);
        types.ShouldBe(new ushort[] { 0x10, 0x0a00, 0x0a03, 0x0a06, 0x11 });
        w.AckedSequences.ToArray().ShouldBe([101u, 102u, 103u]);
        // The chain is an input base chain with policy drop; the table is inet (IPv4 and IPv6).
        var chain = Message(bytes, 2);
        chain[0].ShouldBe((byte)1, "NFPROTO_INET");
        NetlinkAttribute.TryFind(chain[4..], 5, out var policy).ShouldBeTrue();
        BinaryPrimitives.ReadUInt32BigEndian(policy).ShouldBe(0u, "NF_DROP");
        NetlinkAttribute.TryFind(chain[4..], 4, out var hook).ShouldBeTrue();
        NetlinkAttribute.TryFind(hook, 1, out var hooknum).ShouldBeTrue();
        BinaryPrimitives.ReadUInt32BigEndian(hooknum).ShouldBe(1u, "NF_INET_LOCAL_IN");
        NetlinkAttribute.TryFind(chain[4..], 1, out var table).ShouldBeTrue();
        Encoding.ASCII.GetString(table).ShouldBe(NftablesHold.Table + "\0");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    public void Hold_and_release_flip_the_chain_policy_without_creating_anything(uint policy)
    {
        var w = NftablesHold.PolicyBatch(7, policy);
        var update = Message(w.Bytes, 1);
        NetlinkAttribute.TryFind(update[4..], 5, out var p).ShouldBeTrue();
        BinaryPrimitives.ReadUInt32BigEndian(p).ShouldBe(policy);
        NetlinkAttribute.TryFind(update[4..], 4, out _).ShouldBeFalse("an update names no hook");
        w.AckedSequences.ToArray().ShouldBe([8u]);
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(w.Bytes[(16 + 4 + 6)..]); // second message's flags
        (flags & NetlinkWriter.NLM_F_CREATE).ShouldBe(0, "a missing chain is an error, not a new chain");
    }

    [Fact]
    public void Tbf_parameters_give_the_link_layer_so_no_rate_table_is_needed_and_cap_the_32_bit_rate()
    {
        var p = TbfQdisc.Parms(12, 64 << 20);
        p.Length.ShouldBe(36);
        p[1].ShouldBe((byte)1);
        BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(8)).ShouldBe(12u);
        BinaryPrimitives.ReadUInt32LittleEndian(p.AsSpan(24)).ShouldBe(64u << 20);
        BinaryPrimitives.ReadUInt32LittleEndian(TbfQdisc.Parms(12_500_000_000, 1).AsSpan(8)).ShouldBe(uint.MaxValue, "the rest goes in TCA_TBF_RATE64");
    }

    [Fact]
    public void A_qdisc_answer_gives_kind_handle_and_queued_packets()
    {
        var w = new NetlinkWriter(1).Begin(36, 0).Header(TcMsg(0x51570000)).AttrString(1, "tbf")
            .BeginNested(7).Attr(3, QueueStats(qlen: 5)).EndNested().End();
        var info = TbfQdisc.Parse(w.Bytes[16..]);
        info.ShouldBe(new QdiscInfo("tbf", 0x51570000, 5));
    }

    [Fact]
    public void Messages_are_walked_by_their_lengths_and_a_truncated_one_ends_the_walk()
    {
        var w = new NetlinkWriter(9).Begin(2, 0).Header([0, 0, 0, 0]).Begin(3, 0).Header([0, 0, 0, 0]).End();
        var bytes = w.Bytes.ToArray();
        var seen = new List<(ushort, uint)>();
        for (var at = 0; NetlinkSocket.Next(bytes, ref at, out var type, out var seq, out _, out var length);) seen.Add((type, seq));
        seen.ShouldBe([(2, 9u), (3, 10u)]);
        var truncated = bytes[..^2];
        var count = 0;
        for (var at = 0; NetlinkSocket.Next(truncated, ref at, out _, out _, out _, out _);) count++;
        count.ShouldBe(1);
    }

    [Theory]
    [InlineData("10.213.7.2", new byte[] { 10, 213, 7, 2 })]
    [InlineData("0.0.0.0", new byte[] { 0, 0, 0, 0 })]
    [InlineData("255.255.255.255", new byte[] { 255, 255, 255, 255 })]
    public void Dotted_addresses_parse(string text, byte[] expected)
    {
        Span<byte> b = stackalloc byte[4];
        IcmpEcho.TryParseDotted(text, b).ShouldBeTrue();
        b.ToArray().ShouldBe(expected);
    }

    [Theory]
    [InlineData("10.213.7")]
    [InlineData("10.213.7.2.1")]
    [InlineData("10.213.7.256")]
    [InlineData("10..7.2")]
    [InlineData("fe80::1")]
    [InlineData("")]
    public void Anything_but_a_dotted_ipv4_address_is_refused(string text)
    {
        Span<byte> b = stackalloc byte[4];
        IcmpEcho.TryParseDotted(text, b).ShouldBeFalse();
    }

    private static byte[] Message(ReadOnlySpan<byte> bytes, int index)
    {
        var i = 0;
        for (var at = 0; NetlinkSocket.Next(bytes, ref at, out _, out _, out var offset, out var length); i++)
            if (i == index) return bytes.Slice(offset, length).ToArray();
        throw new InvalidOperationException("no such message");
    }

    private static byte[] TcMsg(uint handle)
    {
        var m = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(8), handle);
        return m;
    }

    private static byte[] QueueStats(uint qlen)
    {
        var q = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(q, qlen);
        return q;
    }
}
