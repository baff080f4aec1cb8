using Shouldly;
using Stasis.Cli;
using Xunit;

namespace Stasis.Tests.Cli;

/// <summary>`run IMAGE CMD…`, `create IMAGE CMD…` and `exec CONTAINER CMD…` hand everything after the image or
/// container to the container's command, options included.</summary>
public sealed class ArgumentSplitterTests
{
    [Fact]
    public void Run_options_after_the_image_belong_to_the_command()
    {
        ArgumentSplitter.Split(["run", "busybox", "sh", "-c", "echo hi"])
            .ShouldBe(["run", "busybox", "--", "sh", "-c", "echo hi"]);
    }

    [Fact]
    public void Run_options_with_values_before_the_image_are_skipped_with_their_value()
    {
        // "x" and "K=V" are option values, not the image: the split comes after "busybox".
        ArgumentSplitter.Split(["run", "--name", "x", "-e", "K=V", "-w", "/tmp", "-d", "busybox", "top", "-b"])
            .ShouldBe(["run", "--name", "x", "-e", "K=V", "-w", "/tmp", "-d", "busybox", "--", "top", "-b"]);
    }

    [Fact]
    public void Option_written_with_equals_takes_no_separate_value()
    {
        ArgumentSplitter.Split(["run", "--name=x", "busybox", "ls", "-l"])
            .ShouldBe(["run", "--name=x", "busybox", "--", "ls", "-l"]);
    }

    [Fact]
    public void Global_root_before_the_verb_is_skipped_with_its_value()
    {
        ArgumentSplitter.Split(["--root", "/tmp/r", "run", "busybox", "sh", "-c", "exit 3"])
            .ShouldBe(["--root", "/tmp/r", "run", "busybox", "--", "sh", "-c", "exit 3"]);
    }

    [Fact]
    public void Global_root_after_the_verb_is_skipped_with_its_value()
    {
        ArgumentSplitter.Split(["run", "--root", "/tmp/r", "busybox", "ls", "-a"])
            .ShouldBe(["run", "--root", "/tmp/r", "busybox", "--", "ls", "-a"]);
    }

    [Fact]
    public void Create_splits_like_run()
    {
        ArgumentSplitter.Split(["create", "--name", "web", "busybox", "httpd", "-f"])
            .ShouldBe(["create", "--name", "web", "busybox", "--", "httpd", "-f"]);
    }

    [Fact]
    public void Exec_splits_after_the_container()
    {
        ArgumentSplitter.Split(["exec", "-e", "A=1", "web", "sh", "-c", "echo $A"])
            .ShouldBe(["exec", "-e", "A=1", "web", "--", "sh", "-c", "echo $A"]);
    }

    [Fact]
    public void Exec_flags_without_value_before_the_container_stay_options()
    {
        ArgumentSplitter.Split(["exec", "-i", "-t", "web", "sh"])
            .ShouldBe(["exec", "-i", "-t", "web", "--", "sh"]);
    }

    [Fact]
    public void An_explicit_double_dash_is_left_alone()
    {
        string[] args = ["run", "--name", "x", "--", "busybox", "sh", "-c", "true"];
        ArgumentSplitter.Split(args).ShouldBe(args);
    }

    [Fact]
    public void Image_alone_needs_no_split()
    {
        string[] args = ["run", "-d", "busybox"];
        ArgumentSplitter.Split(args).ShouldBe(args);
    }

    [Theory]
    [InlineData("ps", "-a")]
    [InlineData("kill", "-s")]
    [InlineData("checkpoint", "web")]
    public void Other_verbs_are_not_touched(string verb, string arg)
    {
        string[] args = [verb, arg, "x", "-y"];
        ArgumentSplitter.Split(args).ShouldBe(args);
    }

    [Fact]
    public void Missing_verb_is_not_touched()
    {
        string[] args = ["--root", "/tmp/r"];
        ArgumentSplitter.Split(args).ShouldBe(args);
    }
}
