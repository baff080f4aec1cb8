using System.Text.Json;
using Stasis.Networking;
using Stasis.Util;

namespace Stasis.Containers;

/// <summary>container.json, read and written by hand in the form ContainerJsonContext defines (camelCase, enums as
/// names, nulls left out, indented) so that a CLI call does not pay the serializer's start-up (see JsonCodec).
/// Unknown properties are skipped. Tests hold it to ContainerJsonContext property by property.</summary>
internal static class ContainerRecordJson
{
    public static byte[] ToUtf8Bytes(ContainerRecord record) => JsonCodec.ToUtf8Bytes(record, Write);

    /// <summary>The record, or null for a document that is just null (as the serializer gave).</summary>
    public static ContainerRecord? Parse(ReadOnlySpan<byte> json) => JsonCodec.Parse(json, Read);

    public static void Write(Utf8JsonWriter w, ContainerRecord r)
    {
        w.WriteStartObject();
        w.WriteString("id", r.Id);
        w.WriteString("name", r.Name);
        w.WriteString("image", r.Image);
        w.WriteString("imageId", r.ImageId);
        JsonCodec.WriteStrings(w, "command", r.Command);
        JsonCodec.WriteStrings(w, "env", r.Env);
        w.WriteString("workingDir", r.WorkingDir);
        w.WriteString("user", r.User);
        w.WriteString("network", r.Network);
        JsonCodec.WriteNullable(w, "ip", r.Ip, writeNull: false);
        w.WriteStartArray("ports");
        foreach (var p in r.Ports) WritePort(w, p);
        w.WriteEndArray();
        w.WriteBoolean("interactive", r.Interactive);
        w.WriteStartArray("mounts");
        foreach (var m in r.Mounts) WriteMount(w, m);
        w.WriteEndArray();
        w.WriteString("state", StateName(r.State));
        w.WriteNumber("pid", r.Pid);
        w.WriteNumber("conmonPid", r.ConmonPid);
        JsonCodec.WriteNullable(w, "exitCode", r.ExitCode, writeNull: false);
        JsonCodec.WriteNullable(w, "generation", r.Generation, writeNull: false);
        w.WriteString("createdAt", r.CreatedAt);
        JsonCodec.WriteNullable(w, "startedAt", r.StartedAt, writeNull: false);
        JsonCodec.WriteNullable(w, "finishedAt", r.FinishedAt, writeNull: false);
        JsonCodec.WriteNullable(w, "lastCheckpoint", r.LastCheckpoint, writeNull: false);
        w.WriteBoolean("upperMatchesLastCheckpoint", r.UpperMatchesLastCheckpoint);
        JsonCodec.WriteNullable(w, "restoredFrom", r.RestoredFrom, writeNull: false);
        w.WriteBoolean("prepared", r.Prepared);
        w.WriteEndObject();
    }

    public static ContainerRecord Read(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a container record");
        string? id = null, name = null, image = null, imageId = null, ip = null, generation = null, lastCheckpoint = null, restoredFrom = null;
        string workingDir = "/", user = "", network = "none";
        List<string> command = [], env = [];
        List<PortMapping> ports = [];
        List<VolumeMount> mounts = [];
        bool interactive = false, upperMatches = false, prepared = false;
        var state = ContainerState.Created;
        int pid = 0, conmonPid = 0;
        int? exitCode = null;
        DateTimeOffset createdAt = default;
        DateTimeOffset? startedAt = null, finishedAt = null;
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "id": id = JsonCodec.String(ref reader, property); break;
                case "name": name = JsonCodec.String(ref reader, property); break;
                case "image": image = JsonCodec.String(ref reader, property); break;
                case "imageId": imageId = JsonCodec.String(ref reader, property); break;
                case "command": command = JsonCodec.StringList(ref reader, property); break;
                case "env": env = JsonCodec.StringList(ref reader, property); break;
                case "workingDir": workingDir = JsonCodec.String(ref reader, property); break;
                case "user": user = JsonCodec.String(ref reader, property); break;
                case "network": network = JsonCodec.String(ref reader, property); break;
                case "ip": ip = JsonCodec.NullableString(ref reader, property); break;
                case "ports":
                    ports = [];
                    if (JsonCodec.StartArray(ref reader, property))
                        while (JsonCodec.NextElement(ref reader)) ports.Add(ReadPort(ref reader));
                    break;
                case "interactive": interactive = JsonCodec.Bool(ref reader, property); break;
                case "mounts":
                    mounts = [];
                    if (JsonCodec.StartArray(ref reader, property))
                        while (JsonCodec.NextElement(ref reader)) mounts.Add(ReadMount(ref reader));
                    break;
                case "state": state = ReadState(ref reader); break;
                case "pid": pid = JsonCodec.Int32(ref reader, property); break;
                case "conmonPid": conmonPid = JsonCodec.Int32(ref reader, property); break;
                case "exitCode": exitCode = JsonCodec.NullableInt32(ref reader, property); break;
                case "generation": generation = JsonCodec.NullableString(ref reader, property); break;
                case "createdAt": createdAt = JsonCodec.DateTimeOffset(ref reader, property); break;
                case "startedAt": startedAt = JsonCodec.NullableDateTimeOffset(ref reader, property); break;
                case "finishedAt": finishedAt = JsonCodec.NullableDateTimeOffset(ref reader, property); break;
                case "lastCheckpoint": lastCheckpoint = JsonCodec.NullableString(ref reader, property); break;
                case "upperMatchesLastCheckpoint": upperMatches = JsonCodec.Bool(ref reader, property); break;
                case "restoredFrom": restoredFrom = JsonCodec.NullableString(ref reader, property); break;
                case "prepared": prepared = JsonCodec.Bool(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        const string type = "the container record";
        JsonCodec.Require(id is not null, type, "id");
        JsonCodec.Require(name is not null, type, "name");
        JsonCodec.Require(image is not null, type, "image");
        JsonCodec.Require(imageId is not null, type, "imageId");
        return new ContainerRecord
        {
            Id = id!, Name = name!, Image = image!, ImageId = imageId!,
            Command = command, Env = env, WorkingDir = workingDir, User = user, Network = network, Ip = ip,
            Ports = ports, Interactive = interactive, Mounts = mounts, State = state, Pid = pid, ConmonPid = conmonPid,
            ExitCode = exitCode, Generation = generation, CreatedAt = createdAt, StartedAt = startedAt, FinishedAt = finishedAt,
            LastCheckpoint = lastCheckpoint, UpperMatchesLastCheckpoint = upperMatches, RestoredFrom = restoredFrom, Prepared = prepared,
        };
    }

    /// <summary>The enum's own names, as JsonStringEnumConverter writes them. A new state fails here loudly
    /// (and in the tests) rather than being written as a number.</summary>
    public static string StateName(ContainerState state) => state switch
    {
        ContainerState.Created => "Created",
        ContainerState.Running => "Running",
        ContainerState.Exited => "Exited",
        ContainerState.Checkpointed => "Checkpointed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "a container state without a JSON name"),
    };

    /// <summary>A name in any case, or the number, as the serializer's enum converter accepted.</summary>
    private static ContainerState ReadState(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n is >= (int)ContainerState.Created and <= (int)ContainerState.Checkpointed)
            return (ContainerState)n;
        var s = JsonCodec.String(ref reader, "state");
        for (var st = ContainerState.Created; st <= ContainerState.Checkpointed; st++)
            if (string.Equals(s, StateName(st), StringComparison.OrdinalIgnoreCase)) return st;
        throw new JsonException($"'state' is not a container state: '{s}' (at byte {reader.TokenStartIndex})");
    }

    public static void WriteMount(Utf8JsonWriter w, VolumeMount m)
    {
        w.WriteStartObject();
        w.WriteString("type", m.Type);
        w.WriteString("source", m.Source);
        w.WriteString("destination", m.Destination);
        w.WriteBoolean("readOnly", m.ReadOnly);
        w.WriteEndObject();
    }

    private static VolumeMount ReadMount(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a mount");
        string? type = null, source = null, destination = null;
        var readOnly = false;
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "type": type = JsonCodec.String(ref reader, property); break;
                case "source": source = JsonCodec.String(ref reader, property); break;
                case "destination": destination = JsonCodec.String(ref reader, property); break;
                case "readOnly": readOnly = JsonCodec.Bool(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        JsonCodec.Require(type is not null, "a mount", "type");
        JsonCodec.Require(source is not null, "a mount", "source");
        JsonCodec.Require(destination is not null, "a mount", "destination");
        return new VolumeMount { Type = type!, Source = source!, Destination = destination!, ReadOnly = readOnly };
    }

    private static void WritePort(Utf8JsonWriter w, PortMapping p)
    {
        w.WriteStartObject();
        w.WriteNumber("hostPort", p.HostPort);
        w.WriteNumber("containerPort", p.ContainerPort);
        w.WriteString("protocol", p.Protocol);
        w.WriteEndObject();
    }

    /// <summary>Missing values take the constructor's defaults, as the serializer did.</summary>
    private static PortMapping ReadPort(ref Utf8JsonReader reader)
    {
        JsonCodec.StartObject(ref reader, "a port mapping");
        int host = 0, container = 0;
        var protocol = "tcp";
        while (JsonCodec.NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "hostPort": host = JsonCodec.Int32(ref reader, property); break;
                case "containerPort": container = JsonCodec.Int32(ref reader, property); break;
                case "protocol": protocol = JsonCodec.String(ref reader, property); break;
                default: JsonCodec.Skip(ref reader); break;
            }
        }
        return new PortMapping(host, container, protocol);
    }
}
