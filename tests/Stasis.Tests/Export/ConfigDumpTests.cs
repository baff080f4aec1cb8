using System.Text.Json.Nodes;
using Shouldly;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Tests.Archives;
using Xunit;

namespace Stasis.Tests.Export;

/// <summary>config.dump is readable by Podman's importer and still carries the whole Stasis record.</summary>
public sealed class ConfigDumpTests
{
    private static ContainerRecord Record() => new()
    {
        Id = new string('a', 64),
        Name = "web",
        Image = "busybox",
        ImageId = new string('b', 64),
        Command = ["sh", "-c", "echo hi"],
        Env = ["A=1"],
        WorkingDir = "/srv",
        Mounts = [new VolumeMount { Type = VolumeMount.Volume, Source = "data", Destination = "/data" }],
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
    };

    [Fact]
    public void Has_the_fields_podman_needs_in_the_forms_go_parses()
    {
        var json = JsonNode.Parse(ConfigDump.Create(Record()))!.AsObject();
        ((string?)json["id"]).ShouldBe(new string('a', 64));
        ((string?)json["name"]).ShouldBe("web");
        ((string?)json["rootfsImageName"]).ShouldBe("localhost/busybox:latest");
        ((string?)json["rootfsImageID"]).ShouldBe("localhost/busybox:latest");
        ((string?)json["runtime"]).ShouldBe("runc");
        ((string?)json["createdTime"]).ShouldBe("2026-01-02T01:04:05.0000000Z");
        json["command"]!.AsArray().Select(n => (string?)n).ShouldBe(["sh", "-c", "echo hi"]);
    }

    [Theory]
    [InlineData("busybox", "localhost/busybox:latest")]
    [InlineData("me/app:1", "localhost/me/app:1")]
    [InlineData("quay.io/x/y:2", "quay.io/x/y:2")]
    [InlineData("localhost/z", "localhost/z:latest")]
    public void Image_names_are_spelled_as_podman_names_imported_images(string stasis, string podman) =>
        ConfigDump.PodmanImageName(stasis).ShouldBe(podman);

    [Fact]
    public void Reading_it_back_gives_the_stasis_container()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Combine("config.dump"), ConfigDump.Create(Record()));
        var c = ConfigDump.Read(dir.Path);
        c.Engine.ShouldBe("stasis");
        c.Name.ShouldBe("web");
        c.Image.ShouldBe("busybox");
        c.WorkingDir.ShouldBe("/srv");
        c.Mounts.Single().Source.ShouldBe("data");
        c.GeneratedFiles.ShouldBeEmpty();
    }

    [Fact]
    public void A_podman_config_dump_is_read_from_its_spec_with_podmans_own_bind_files_generated()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("config.dump"), """{"id":"x","name":"pc","rootfsImageName":"localhost/busybox:latest"}""");
        File.WriteAllText(dir.Combine("spec.dump"), """
            {"hostname":"abc","process":{"args":["sleep","9"],"env":["PATH=/bin"],"cwd":"/w"},
             "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
                       {"destination":"/etc/hosts","type":"bind","source":"/x/hosts","options":["bind"]},
                       {"destination":"/etc/hostname","type":"bind","source":"/x/hostname","options":["bind"]},
                       {"destination":"/dev/shm","type":"bind","source":"/x/shm","options":["bind"]},
                       {"destination":"/srv","type":"bind","source":"/host/srv","options":["bind","ro"]}]}
            """);
        var c = ConfigDump.Read(dir.Path);
        c.Engine.ShouldBe("podman");
        c.Name.ShouldBe("pc");
        c.Image.ShouldBe("localhost/busybox:latest");
        c.Command.ShouldBe(["sleep", "9"]);
        c.WorkingDir.ShouldBe("/w");
        c.GeneratedFiles.Select(f => f.Destination).ShouldBe(["/etc/hosts", "/etc/hostname"]);
        c.GeneratedFiles.Single(f => f.Destination == "/etc/hostname").Content.ShouldBe("abc\n");
        c.Mounts.Single().ShouldBe(new VolumeMount { Type = VolumeMount.Bind, Source = "/host/srv", Destination = "/srv", ReadOnly = true });
    }

    [Fact]
    public void A_missing_or_broken_config_dump_is_a_damaged_archive()
    {
        using var dir = new TempDir();
        Should.Throw<StasisException>(() => ConfigDump.Read(dir.Path)).Code.ShouldBe(StasisErrorCode.BadArchive);
        File.WriteAllText(dir.Combine("config.dump"), "{not json");
        Should.Throw<StasisException>(() => ConfigDump.Read(dir.Path)).Code.ShouldBe(StasisErrorCode.BadArchive);
    }
}
