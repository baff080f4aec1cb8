using Shouldly;
using Stasis.Criu;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>The CRIU version is read from `criu --version`, whose output varies between builds.</summary>
public sealed class CriuLocatorTests
{
    [Theory]
    [InlineData("Version: 4.2.1\n", "4.2.1")]
    [InlineData("Version: 4.2\nGitID: v4.2-12-gabcdef\n", "4.2")]
    [InlineData("Version: 4\n", "4.0")]
    [InlineData("Version: 3.17.1\n", "3.17.1")]
    [InlineData("  Version: 4.1.1-dirty\r\n", "4.1.1")]
    [InlineData("something first\nVersion: 4.2.1\n", "4.2.1")]
    public void Version_is_read(string output, string expected)
    {
        CriuLocator.ParseVersion(output).ShouldBe(Version.Parse(expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("criu: command not found")]
    [InlineData("Version: unknown")]
    public void No_version_gives_null(string output)
    {
        CriuLocator.ParseVersion(output).ShouldBeNull();
    }

    [Fact]
    public void Old_versions_compare_below_the_minimum()
    {
        (CriuLocator.ParseVersion("Version: 4.1.1")! < CriuLocator.Minimum).ShouldBeTrue();
        (CriuLocator.ParseVersion("Version: 4.2")! >= CriuLocator.Minimum).ShouldBeTrue();
        (CriuLocator.ParseVersion("Version: 4.2.1")! >= CriuLocator.Minimum).ShouldBeTrue();
    }

    [Fact]
    public void A_configured_path_wins()
    {
        CriuLocator.Find("/custom/criu").ShouldBe("/custom/criu");
    }
}
