using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Shouldly;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Images;
using Stasis.Util;
using Stasis.Volumes;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>The hand-written codecs of the store's files against the source-generated contexts they replaced (kept as
/// the oracle): every property of every record, filled by reflection, is written as the context writes it and read
/// back, so a property added to a record and not to its codec fails here.</summary>
public sealed class RecordCodecTests
{
    private static void HoldsToTheContext<T>(T value, Func<T, byte[]> write, Func<byte[], T?> parse, JsonTypeInfo<T> context) where T : class
    {
        var mine = write(value);
        var theirs = JsonSerializer.SerializeToUtf8Bytes(value, context);
        // The same text, byte for byte: old and new Stasis versions keep reading and writing the same files.
        Encoding.UTF8.GetString(mine).ShouldBe(Encoding.UTF8.GetString(theirs));
        RecordComparer.ShouldMatch(parse(mine), value);
        RecordComparer.ShouldMatch(parse(theirs), value);
        RecordComparer.ShouldMatch(JsonSerializer.Deserialize(mine, context), value);
    }

    [Fact]
    public void Container_record_every_property() =>
        HoldsToTheContext(RecordFiller.Fill<ContainerRecord>(), ContainerRecordJson.ToUtf8Bytes, b => ContainerRecordJson.Parse(b),
            ContainerJsonContext.Default.ContainerRecord);

    [Fact]
    public void Container_record_with_only_what_is_required() =>
        HoldsToTheContext(new ContainerRecord { Id = "i", Name = "n", Image = "busybox", ImageId = "b" }, ContainerRecordJson.ToUtf8Bytes,
            b => ContainerRecordJson.Parse(b), ContainerJsonContext.Default.ContainerRecord);

    [Fact]
    public void Container_record_every_state()
    {
        foreach (var state in Enum.GetValues<ContainerState>())
        {
            var rec = RecordFiller.Fill<ContainerRecord>();
            rec.State = state;
            HoldsToTheContext(rec, ContainerRecordJson.ToUtf8Bytes, b => ContainerRecordJson.Parse(b), ContainerJsonContext.Default.ContainerRecord);
        }
    }

    [Theory]
    [InlineData("\"running\"", ContainerState.Running)]
    [InlineData("\"CHECKPOINTED\"", ContainerState.Checkpointed)]
    [InlineData("2", ContainerState.Exited)]
    public void Container_state_is_read_as_leniently_as_the_serializer_did(string json, ContainerState expected)
    {
        var text = $$"""{"id":"i","name":"n","image":"b","imageId":"x","state":{{json}}}""";
        ContainerRecordJson.Parse(Encoding.UTF8.GetBytes(text))!.State.ShouldBe(expected);
        JsonSerializer.Deserialize(text, ContainerJsonContext.Default.ContainerRecord)!.State.ShouldBe(expected);
    }

    [Fact]
    public void Checkpoint_every_property() =>
        HoldsToTheContext(RecordFiller.Fill<CheckpointInfo>(), CheckpointInfoJson.ToUtf8Bytes, b => CheckpointInfoJson.Parse(b),
            CheckpointJsonContext.Default.CheckpointInfo);

    [Fact]
    public void Checkpoint_with_only_what_is_required() =>
        HoldsToTheContext(new CheckpointInfo { Name = "c", ContainerId = "i", ContainerName = "n", Image = "b", ImageId = "x" },
            CheckpointInfoJson.ToUtf8Bytes, b => CheckpointInfoJson.Parse(b), CheckpointJsonContext.Default.CheckpointInfo);

    [Fact]
    public void Image_every_property() =>
        HoldsToTheContext(RecordFiller.Fill<ImageInfo>(), ImageInfoJson.ToUtf8Bytes, b => ImageInfoJson.Parse(b), ImageJsonContext.Default.ImageInfo);

    [Fact]
    public void Image_with_only_what_is_required() =>
        HoldsToTheContext(new ImageInfo { Id = "" }, ImageInfoJson.ToUtf8Bytes, b => ImageInfoJson.Parse(b), ImageJsonContext.Default.ImageInfo);

    [Fact]
    public void Layer_every_property() =>
        HoldsToTheContext(RecordFiller.Fill<LayerInfo>(), ImageInfoJson.ToUtf8Bytes, b => ImageInfoJson.ParseLayer(b), ImageJsonContext.Default.LayerInfo);

    [Fact]
    public void Volume_every_property() =>
        HoldsToTheContext(RecordFiller.Fill<VolumeInfo>(), VolumeInfoJson.ToUtf8Bytes, b => VolumeInfoJson.Parse(b), VolumeJsonContext.Default.VolumeInfo);

    [Fact]
    public void Deleted_files_list()
    {
        List<string> deleted = ["/etc/passwd", "/tmp/ü+<&'\"\\\n"];
        Encoding.UTF8.GetString(JsonCodec.ToUtf8Bytes(deleted))
            .ShouldBe(JsonSerializer.Serialize(deleted, CheckpointJsonContext.Default.ListString));
        JsonCodec.ParseStrings(JsonSerializer.SerializeToUtf8Bytes(deleted, CheckpointJsonContext.Default.ListString), "deleted.files").ShouldBe(deleted);
        JsonCodec.ParseStrings("null"u8, "deleted.files").ShouldBeEmpty();
        Should.Throw<JsonException>(() => JsonCodec.ParseStrings("[1]"u8, "deleted.files"));
    }

    [Fact]
    public void The_config_dump_carries_the_record_as_the_context_wrote_it()
    {
        var rec = RecordFiller.Fill<ContainerRecord>();
        var dump = JsonNode.Parse(ConfigDump.Create(rec))!.AsObject();
        JsonNode.DeepEquals(dump["stasis"], JsonSerializer.SerializeToNode(rec, ContainerJsonContext.Default.ContainerRecord)).ShouldBeTrue();
    }

    [Fact]
    public void Unknown_properties_of_any_shape_are_skipped()
    {
        var rec = RecordFiller.Fill<ContainerRecord>();
        var node = JsonSerializer.SerializeToNode(rec, ContainerJsonContext.Default.ContainerRecord)!.AsObject();
        node.Insert(0, "fromTheFuture", JsonNode.Parse("""{"a":[1,{"b":null}],"c":"d"}"""));
        node["alsoLater"] = new JsonArray(1, 2);
        node["mounts"]![0]!.AsObject()["extra"] = true;
        RecordComparer.ShouldMatch(ContainerRecordJson.Parse(Encoding.UTF8.GetBytes(node.ToJsonString())), rec);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"id":"i","name":"n","image":"b"}""")] // imageId missing
    [InlineData("""{"id":5,"name":"n","image":"b","imageId":"x"}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","pid":"12"}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","pid":12345678901}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","state":"Sleeping"}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","createdAt":"yesterday"}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","command":"sh"}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x","mounts":[{"type":"bind"}]}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x"} {}""")]
    [InlineData("""{"id":"i","name":"n","image":"b","imageId":"x",}""")]
    public void Damaged_records_are_json_errors_as_before(string json)
    {
        Should.Throw<JsonException>(() => ContainerRecordJson.Parse(Encoding.UTF8.GetBytes(json)));
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerRecord));
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_a_json_error()
    {
        byte[] json = [.. "{\"id\":\""u8, 0xff, 0xfe, .. "\",\"name\":\"n\",\"image\":\"b\",\"imageId\":\"x\"}"u8];
        Should.Throw<JsonException>(() => ContainerRecordJson.Parse(json));
    }

    [Fact]
    public void Damaged_checkpoint_image_and_volume_files_are_json_errors()
    {
        Should.Throw<JsonException>(() => CheckpointInfoJson.Parse("""{"name":"c","dumpStats":{"pagesLazy":-1}}"""u8));
        Should.Throw<JsonException>(() => CheckpointInfoJson.Parse("""{"name":"c"}"""u8));
        Should.Throw<JsonException>(() => ImageInfoJson.Parse("""{"names":[]}"""u8));
        Should.Throw<JsonException>(() => ImageInfoJson.ParseLayer("""{"size":1}"""u8));
        Should.Throw<JsonException>(() => VolumeInfoJson.Parse("""{"name":"v","mountpoint":null}"""u8));
    }

    [Fact]
    public void A_document_that_is_null_reads_as_null_as_before()
    {
        ContainerRecordJson.Parse("null"u8).ShouldBeNull();
        CheckpointInfoJson.Parse(" null "u8).ShouldBeNull();
        ImageInfoJson.Parse("null"u8).ShouldBeNull();
        VolumeInfoJson.Parse("null"u8).ShouldBeNull();
    }

    [Fact]
    public void The_filler_leaves_no_stored_property_at_its_default()
    {
        foreach (var value in new object[] { RecordFiller.Fill<ContainerRecord>(), RecordFiller.Fill<CheckpointInfo>(), RecordFiller.Fill<ImageInfo>(),
                     RecordFiller.Fill<LayerInfo>(), RecordFiller.Fill<VolumeInfo>() })
        {
            foreach (var p in RecordFiller.StoredProperties(value.GetType()))
            {
                var v = p.GetValue(value);
                var d = p.PropertyType.IsValueType && Nullable.GetUnderlyingType(p.PropertyType) is null ? Activator.CreateInstance(p.PropertyType) : null;
                Equals(v, d).ShouldBeFalse($"{value.GetType().Name}.{p.Name} was left at its default");
            }
        }
    }
}
