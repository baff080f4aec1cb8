using System.Buffers.Binary;
using Shouldly;
using Stasis.Networking;
using Xunit;

namespace Stasis.Tests.Networking;

/// <summary>The echo request that wakes the veth queue must be a valid ICMP packet, or the kernel of the container
/// would drop it unanswered (harmless) and, worse, a wrong length would not fit the token bucket it drains.</summary>
public sealed class IcmpEchoTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(57)]
    [InlineData(1472)]
    public void A_request_has_type_8_the_asked_length_and_a_checksum_that_verifies(int payload)
    {
        var p = IcmpEcho.Request(payload);
        p.Length.ShouldBe(8 + payload);
        p[0].ShouldBe((byte)8);
        p[1].ShouldBe((byte)0);
        // Summing a packet that carries its own checksum gives zero: what a receiver checks.
        IcmpEcho.Checksum(p).ShouldBe((ushort)0);
    }

    [Fact]
    public void The_checksum_matches_the_rfc_1071_example()
    {
        // RFC 1071, section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement), checksum 220d.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        IcmpEcho.Checksum(data).ShouldBe((ushort)0x220d);
        BinaryPrimitives.ReadUInt16BigEndian(IcmpEcho.Request(0, 0x5157, 1).AsSpan(2)).ShouldBe((ushort)0xa6a7);
    }
}
