using Shouldly;
using Stasis.Archives;
using Xunit;

namespace Stasis.Tests.Archives;

public sealed class TarPathsTests
{
    [Theory]
    [InlineData("etc/passwd", "etc/passwd")]
    [InlineData("./etc/passwd", "etc/passwd")]
    [InlineData("./", "")]
    [InlineData(".", "")]
    [InlineData("usr//lib/./x/", "usr/lib/x")]
    [InlineData("a/../b", "b")]
    public void Safe_names_are_normalised(string name, string expected)
    {
        TarPaths.TryNormalize(name, out var rel, out _).ShouldBeTrue();
        rel.ShouldBe(expected);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("../x", "climbs out")]
    [InlineData("a/../../x", "climbs out")]
    [InlineData("./..", "climbs out")]
    [InlineData("a\0b", "NUL")]
    [InlineData("", "empty")]
    public void Unsafe_names_are_refused_with_a_reason(string name, string reason)
    {
        TarPaths.TryNormalize(name, out _, out var why).ShouldBeFalse();
        why.ShouldContain(reason);
    }

    [Theory]
    [InlineData("bin/sh", "/bin/busybox", true)]      // absolute: resolved against the tree root
    [InlineData("bin/sh", "busybox", true)]
    [InlineData("usr/bin/x", "../../etc/x", true)]     // climbs to the root, not above
    [InlineData("usr/bin/x", "../../../etc/x", false)] // one level above the root
    [InlineData("x", "../x", false)]
    [InlineData("a/b", "c/../../..", false)]
    [InlineData("a/b", "", false)]
    public void Symlink_targets_follow_rootfs_semantics(string link, string target, bool safe) =>
        TarPaths.IsSymlinkTargetSafe(link, target, allowAbsolute: true, out _).ShouldBe(safe);

    [Fact]
    public void Strict_mode_refuses_absolute_symlink_targets()
    {
        TarPaths.IsSymlinkTargetSafe("bin/sh", "/bin/busybox", allowAbsolute: false, out var why).ShouldBeFalse();
        why.ShouldContain("absolute");
        TarPaths.IsSymlinkTargetSafe("bin/sh", "busybox", allowAbsolute: false, out _).ShouldBeTrue();
    }
}
