using System.Text.Json;
using Stasis.Criu;
using Stasis.Util;

namespace Stasis.Checkpoints;

/// <summary>stasis.checkpoint.json, read and written by hand in the form CheckpointJsonContext defines (camelCase,
/// nulls left out, indented), so that a CLI call does not pay the serializer's start-up (see JsonCodec). The CLI's
/// JSON output is the same with nulls written. Unknown properties are skipped. Tests hold it to the contexts.</summary>
internal static class CheckpointInfoJson
{
    public static byte[] ToUtf8Bytes(CheckpointInfo info) => JsonCodec.ToUtf8Bytes(info, WriteStored);

    /// <summary>The checkpoint, or null for a document that is just null (as the serializer gave).</summary>
    public static CheckpointInfo? Parse(ReadOnlySpan<byte> json) => JsonCodec.Parse(json, Read);

    private static void WriteStored(Utf8JsonWriter w, CheckpointInfo c) => Write(w, c, writeNulls: false);

    /// <summary>Writes one checkpoint; <paramref name="writeNulls"/> for the CLI's output, which shows them.</summary>
    public static void Write(Utf8JsonWriter w, CheckpointInfo c, bool writeNulls)
    {
        w.WriteStartObject();
        w.WriteString("name", c.Name);
        w.WriteString("containerId", c.ContainerId);
        w.WriteString("containerName", c.ContainerName);
        w.WriteString("image", c.Image);
        w.WriteString("imageId", c.ImageId);
        w.WriteString("created", c.Created);
        w.WriteBoolean("leaveRunning", c.LeaveRunning);
        w.WriteBoolean("tcpEstablished", c.TcpEstablished);
        w.WriteBoolean("fileLocks", c.FileLocks);
        w.WriteNumber("imagesSize", c.ImagesSize);
        w.WriteNumber("rootfsDiffSize", c.RootfsDiffSize);
        w.WriteNumber("deletedFiles", c.DeletedFiles);
        w.WriteBoolean("ignoreRootfs", c.IgnoreRootfs);
        JsonCodec.WriteStrings(w, "volumes", c.Volumes);
        w.WriteBoolean("devShm", c.DevShm);
        JsonCodec.WriteNullable(w, "criuVersion", c.CriuVersion, writeNulls);
        JsonCodec.WriteNullable(w, "architecture", c.Architecture, writeNulls);
        if (c.DumpStats is { } s) WriteStats(w, s);
        else if (writeNulls) w.WriteNull("dumpStats");
        JsonCodec.WriteNullable(w, "path", c.Path, writeNulls);
        w.WriteEndObject();
    }

    private static void WriteStats(Utf8JsonWriter w, CriuDumpStats s)
    {
        w.WriteStartObject("dumpStats");
        w.WriteNumber("freezingTimeUs", s.FreezingTimeUs);
        w.WriteNumber("frozenTimeUs", s.FrozenTimeUs);
        w.WriteNumber("memDumpTimeUs", s.MemDumpTimeUs);
        w.WriteNumber("memWriteTimeUs", s.MemWriteTimeUs);
        w.WriteNumber("pagesScanned", s.PagesScanned);
        w.WriteNumber("pagesSkippedParent", s.PagesSkippedParent);
        w.WriteNumber("pagesWritten", s.PagesWritten);
        w.WriteNumber("pagesLazy", s.PagesLazy);
        w.WriteEndObject();
    }

    public static CheckpointInfo Read(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a checkpoint");
        string? name = null, containerId = null, containerName = null, image = null, imageId = null, criuVersion = null, architecture = null, path = null;
        DateTimeOffset created = default;
        bool leaveRunning = false, tcp = false, fileLocks = false, ignoreRootfs = false, devShm = false;
        long imagesSize = 0, rootfsDiffSize = 0;
        var deletedFiles = 0;
        List<string> volumes = [];
        CriuDumpStats? stats = null;
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "name": name = JsonCodec.String(ref reader, property); break;
                case "containerId": containerId = JsonCodec.String(ref reader, property); break;
                case "containerName": containerName = JsonCodec.String(ref reader, property); break;
                case "image": image = JsonCodec.String(ref reader, property); break;
                case "imageId": imageId = JsonCodec.String(ref reader, property); break;
                case "created": created = JsonCodec.DateTimeOffset(ref reader, property); break;
                case "leaveRunning": leaveRunning = JsonCodec.Bool(ref reader, property); break;
                case "tcpEstablished": tcp = JsonCodec.Bool(ref reader, property); break;
                case "fileLocks": fileLocks = JsonCodec.Bool(ref reader, property); break;
                case "imagesSize": imagesSize = JsonCodec.Int64(ref reader, property); break;
                case "rootfsDiffSize": rootfsDiffSize = JsonCodec.Int64(ref reader, property); break;
                case "deletedFiles": deletedFiles = JsonCodec.Int32(ref reader, property); break;
                case "ignoreRootfs": ignoreRootfs = JsonCodec.Bool(ref reader, property); break;
                case "volumes": volumes = JsonCodec.StringList(ref reader, property); break;
                case "devShm": devShm = JsonCodec.Bool(ref reader, property); break;
                case "criuVersion": criuVersion = JsonCodec.NullableString(ref reader, property); break;
                case "architecture": architecture = JsonCodec.NullableString(ref reader, property); break;
                case "dumpStats": stats = reader.TokenType == JsonTokenType.Null ? null : ReadStats(ref reader); break;
                case "path": path = JsonCodec.NullableString(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        const string type = "the checkpoint";
        JsonCodec.Require(name is not null, type, "name");
        JsonCodec.Require(containerId is not null, type, "containerId");
        JsonCodec.Require(containerName is not null, type, "containerName");
        JsonCodec.Require(image is not null, type, "image");
        JsonCodec.Require(imageId is not null, type, "imageId");
        return new CheckpointInfo
        {
            Name = name!, ContainerId = containerId!, ContainerName = containerName!, Image = image!, ImageId = imageId!,
            Created = created, LeaveRunning = leaveRunning, TcpEstablished = tcp, FileLocks = fileLocks,
            ImagesSize = imagesSize, RootfsDiffSize = rootfsDiffSize, DeletedFiles = deletedFiles, IgnoreRootfs = ignoreRootfs,
            Volumes = volumes, DevShm = devShm, CriuVersion = criuVersion, Architecture = architecture, DumpStats = stats, Path = path,
        };
    }

    /// <summary>Missing figures read as 0, as the serializer gave for the record's constructor.</summary>
    private static CriuDumpStats ReadStats(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "dumpStats");
        ulong freezing = 0, frozen = 0, memDump = 0, memWrite = 0, scanned = 0, skippedParent = 0, written = 0, lazy = 0;
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "freezingTimeUs": freezing = JsonCodec.UInt64(ref reader, property); break;
                case "frozenTimeUs": frozen = JsonCodec.UInt64(ref reader, property); break;
                case "memDumpTimeUs": memDump = JsonCodec.UInt64(ref reader, property); break;
                case "memWriteTimeUs": memWrite = JsonCodec.UInt64(ref reader, property); break;
                case "pagesScanned": scanned = JsonCodec.UInt64(ref reader, property); break;
                case "pagesSkippedParent": skippedParent = JsonCodec.UInt64(ref reader, property); break;
                case "pagesWritten": written = JsonCodec.UInt64(ref reader, property); break;
                case "pagesLazy": lazy = JsonCodec.UInt64(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        return new CriuDumpStats(freezing, frozen, memDump, memWrite, scanned, skippedParent, written, lazy);
    }
}
