using System.Text;
using System.Text.Json;
using Stasis.Checkpoints;
using Stasis.Containers;
using Stasis.Util;

namespace Stasis.Cli.Output;

/// <summary>The JSON of `inspect`, `ps --format json` and `checkpoint ls --format json`, written by hand in
/// CliJsonContext's form (camelCase, enums as names, nulls written, indented): these verbs run often and the
/// serializer's start-up would cost more than the work (see JsonCodec). Tests hold it to CliJsonContext.</summary>
internal static class CliJson
{
    public static string Containers(IReadOnlyList<ContainerInfo> list) => Text(w =>
    {
        w.WriteStartArray();
        foreach (var c in list) Write(w, c);
        w.WriteEndArray();
    });

    public static string Container(ContainerInfo info) => Text(w => Write(w, info));

    public static string Checkpoints(IReadOnlyList<CheckpointInfo> list) => Text(w =>
    {
        w.WriteStartArray();
        foreach (var c in list) CheckpointInfoJson.Write(w, c, writeNulls: true);
        w.WriteEndArray();
    });

    private static string Text(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonCodec.Indented)) write(w);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter w, ContainerInfo c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("name", c.Name);
        w.WriteString("image", c.Image);
        w.WriteString("imageId", c.ImageId);
        JsonCodec.WriteStrings(w, "command", c.Command);
        JsonCodec.WriteStrings(w, "env", c.Env);
        w.WriteString("workingDir", c.WorkingDir);
        w.WriteString("network", c.Network);
        JsonCodec.WriteNullable(w, "ipAddress", c.IpAddress, writeNull: true);
        JsonCodec.WriteNullable(w, "macAddress", c.MacAddress, writeNull: true);
        JsonCodec.WriteStrings(w, "ports", c.Ports);
        w.WriteStartArray("mounts");
        foreach (var m in c.Mounts) ContainerRecordJson.WriteMount(w, m);
        w.WriteEndArray();
        w.WriteString("state", ContainerRecordJson.StateName(c.State));
        w.WriteNumber("pid", c.Pid);
        JsonCodec.WriteNullable(w, "exitCode", c.ExitCode, writeNull: true);
        w.WriteString("createdAt", c.CreatedAt);
        JsonCodec.WriteNullable(w, "startedAt", c.StartedAt, writeNull: true);
        JsonCodec.WriteNullable(w, "finishedAt", c.FinishedAt, writeNull: true);
        JsonCodec.WriteStrings(w, "checkpoints", c.Checkpoints);
        JsonCodec.WriteNullable(w, "lastCheckpoint", c.LastCheckpoint, writeNull: true);
        JsonCodec.WriteNullable(w, "restoredFrom", c.RestoredFrom, writeNull: true);
        w.WriteString("rootfs", c.Rootfs);
        w.WriteString("bundle", c.Bundle);
        w.WriteString("logPath", c.LogPath);
        w.WriteString("status", c.Status);
        w.WriteEndObject();
    }
}
