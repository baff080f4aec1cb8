using Shouldly;
using Stasis.Networking;
using Xunit;

namespace Stasis.Tests.Networking;

public sealed class PortMappingTests
{
    [Theory]
    [InlineData("8080:80", 8080, 80, "tcp")]
    [InlineData("53:5353/udp", 53, 5353, "udp")]
    [InlineData("1:65535/TCP", 1, 65535, "tcp")]
    public void Parses_host_and_container_port_and_protocol(string text, int host, int container, string protocol) =>
        PortMapping.Parse(text).ShouldBe(new PortMapping(host, container, protocol));

    [Theory]
    [InlineData("80")]
    [InlineData("0:80")]
    [InlineData("80:70000")]
    [InlineData("80:80/sctp")]
    [InlineData("a:b")]
    [InlineData("1:2:3")]
    [InlineData("-1:80")]
    public void Refuses_what_is_not_HOSTPORT_CTRPORT(string text) =>
        Should.Throw<StasisException>(() => PortMapping.Parse(text)).Code.ShouldBe(StasisErrorCode.InvalidArgument);

    [Fact]
    public void Prints_as_it_is_parsed() => PortMapping.Parse("8080:80").ToString().ShouldBe("8080:80/tcp");
}
