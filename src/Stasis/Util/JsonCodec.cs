using System.Text.Json;

namespace Stasis.Util;

/// <summary>Helpers for the hand-written codecs of the store's records (ContainerRecordJson, CheckpointInfoJson, …).
/// They exist because the source-generated serializer pays hundreds of JIT compilations on every CLI start
/// (its metadata generics over value types cannot be precompiled across assemblies), while Utf8JsonReader and
/// Utf8JsonWriter are plain, precompiled framework code. Every error is a JsonException, as the serializer's were.</summary>
internal static class JsonCodec
{
    /// <summary>What the source-generated contexts wrote: indented, default escaping.</summary>
    public static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>The UTF-8 bytes of what <paramref name="write"/> writes, indented.</summary>
    public static byte[] ToUtf8Bytes<T>(T value, Action<Utf8JsonWriter, T> write) where T : class
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented)) write(writer, value);
        return buffer.ToArray();
    }

    /// <summary>Parses one JSON document holding a record (or null) with <paramref name="read"/>, which is handed
    /// the reader on the record's StartObject. Trailing content and reader failures are JsonExceptions.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> json, ReadRecord<T> read) where T : class
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read()) throw new JsonException("the document is empty");
            if (reader.TokenType == JsonTokenType.Null)
            {
                EndOfDocument(ref reader);
                return null;
            }
            var value = read(ref reader);
            EndOfDocument(ref reader);
            return value;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // Invalid UTF-8 in a string and the like: the reader throws these rather than a JsonException.
            throw new JsonException($"{e.Message} (at byte {reader.TokenStartIndex})", e);
        }
    }

    /// <summary>Reads one record from a reader positioned on its first token.</summary>
    public delegate T ReadRecord<out T>(ref Utf8JsonReader reader);

    private static void EndOfDocument(ref Utf8JsonReader reader)
    {
        // The reader itself rejects anything but whitespace after the value.
        if (reader.Read()) throw Error(ref reader, "unexpected content after the record");
    }

    /// <summary>Checks the current token starts an object.</summary>
    public static void StartObject(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Error(ref reader, $"{what} should be an object, not {Describe(reader.TokenType)}");
    }

    /// <summary>Moves to the next property of an object and onto its value; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = "";
            return false;
        }
        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    /// <summary>Skips the value of a property the record does not know (written by a newer Stasis, say).</summary>
    public static void Skip(ref Utf8JsonReader reader) => reader.Skip();

    public static string String(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Expected(ref reader, name, "a string");

    public static string? NullableString(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Null ? null : String(ref reader, name);

    public static bool Bool(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Expected(ref reader, name, "true or false"),
    };

    public static int Int32(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : throw Expected(ref reader, name, "a 32-bit integer");

    public static int? NullableInt32(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Null ? null : Int32(ref reader, name);

    public static long Int64(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) ? v : throw Expected(ref reader, name, "a 64-bit integer");

    public static ulong UInt64(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var v) ? v : throw Expected(ref reader, name, "an unsigned 64-bit integer");

    public static DateTimeOffset DateTimeOffset(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var v) ? v : throw Expected(ref reader, name, "an ISO 8601 date and time");

    public static DateTimeOffset? NullableDateTimeOffset(ref Utf8JsonReader reader, string name) =>
        reader.TokenType == JsonTokenType.Null ? null : DateTimeOffset(ref reader, name);

    /// <summary>An array of strings; null reads as empty.</summary>
    public static List<string> StringList(ref Utf8JsonReader reader, string name)
    {
        var list = new List<string>();
        if (StartArray(ref reader, name))
            while (NextElement(ref reader)) list.Add(String(ref reader, name));
        return list;
    }

    /// <summary>Checks the value is an array: true, or false for null (which reads as empty).</summary>
    public static bool StartArray(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.StartArray => true,
        JsonTokenType.Null => false,
        _ => throw Expected(ref reader, name, "an array"),
    };

    /// <summary>Moves to the next element of an array; false at its end.</summary>
    public static bool NextElement(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>The serializer refused a record without its required properties; so do the codecs.</summary>
    public static void Require(bool present, string type, string name)
    {
        if (!present) throw new JsonException($"{type} is missing its required property '{name}'");
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }

    /// <summary>A top-level array of strings (deleted.files).</summary>
    public static byte[] ToUtf8Bytes(IEnumerable<string> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartArray();
            foreach (var v in values) writer.WriteStringValue(v);
            writer.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>A document that is an array of strings, or null (empty).</summary>
    public static List<string> ParseStrings(ReadOnlySpan<byte> json, string what) =>
        Parse(json, (ref Utf8JsonReader r) => StringList(ref r, what)) ?? [];

    /// <summary>Writes a property that may be null: omitted (the store's files) or written as null (CLI output).</summary>
    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value, bool writeNull)
    {
        if (value is not null) writer.WriteString(name, value);
        else if (writeNull) writer.WriteNull(name);
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, int? value, bool writeNull)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else if (writeNull) writer.WriteNull(name);
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, DateTimeOffset? value, bool writeNull)
    {
        if (value is { } v) writer.WriteString(name, v);
        else if (writeNull) writer.WriteNull(name);
    }

    private static JsonException Expected(ref Utf8JsonReader reader, string name, string what) =>
        Error(ref reader, $"'{name}' should be {what}, not {Describe(reader.TokenType)}");

    private static JsonException Error(ref Utf8JsonReader reader, string message) =>
        new($"{message} (at byte {reader.TokenStartIndex})");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "out of place",
    };
}
