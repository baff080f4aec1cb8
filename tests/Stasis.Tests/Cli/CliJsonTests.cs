using System.Text.Json;
using Shouldly;
using Stasis.Checkpoints;
using Stasis.Cli.Output;
using Stasis.Containers;
using Stasis.Tests.Core;
using Xunit;

namespace Stasis.Tests.Cli;

/// <summary>The hand-written JSON of `inspect`, `ps` and `checkpoint ls` is, to the byte, what CliJsonContext wrote:
/// every property filled by reflection (a property added later and not written fails here), and nulls shown.</summary>
public sealed class CliJsonTests
{
    private static ContainerInfo Minimal() => new()
    {
        Id = "i", Name = "n", Image = "busybox", ImageId = "b", Rootfs = "/r", Bundle = "/b", LogPath = "/l",
    };

    [Fact]
    public void Inspect_of_one_container_every_property()
    {
        var c = RecordFiller.Fill<ContainerInfo>();
        CliJson.Container(c).ShouldBe(JsonSerializer.Serialize(c, CliJsonContext.Default.ContainerInfo));
        CliJson.Container(Minimal()).ShouldBe(JsonSerializer.Serialize(Minimal(), CliJsonContext.Default.ContainerInfo));
    }

    [Fact]
    public void A_list_of_containers_in_every_state()
    {
        var list = Enum.GetValues<ContainerState>().Select(s => RecordFiller.Fill<ContainerInfo>() with { State = s })
            .Append(Minimal()).ToList();
        CliJson.Containers(list).ShouldBe(JsonSerializer.Serialize<IReadOnlyList<ContainerInfo>>(list, CliJsonContext.Default.IReadOnlyListContainerInfo));
        CliJson.Containers([]).ShouldBe(JsonSerializer.Serialize<IReadOnlyList<ContainerInfo>>([], CliJsonContext.Default.IReadOnlyListContainerInfo));
    }

    [Fact]
    public void Checkpoints_every_property_and_nulls_shown()
    {
        List<CheckpointInfo> list =
        [
            RecordFiller.Fill<CheckpointInfo>(),
            new() { Name = "c", ContainerId = "i", ContainerName = "n", Image = "b", ImageId = "x" },
        ];
        CliJson.Checkpoints(list).ShouldBe(JsonSerializer.Serialize<IReadOnlyList<CheckpointInfo>>(list, CliJsonContext.Default.IReadOnlyListCheckpointInfo));
    }
}
