using System.Collections;
using System.Reflection;

namespace Stasis.Tests.Core;

/// <summary>Builds a record with every property (public or internal, init or set) given a value that differs from
/// its default and from every other property's, found by reflection, so a codec that forgets a property — one
/// added to the record later included — fails its round-trip test instead of silently dropping it.</summary>
internal sealed class RecordFiller
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private int _next;

    /// <summary>Text that the default JSON encoder escapes in several ways (non-ASCII, '+', '&lt;', quotes, controls).</summary>
    private const string Awkward = " ü+<&'\"\\\n";

    public static T Fill<T>() where T : class => (T)new RecordFiller().Value(typeof(T), typeof(T).Name);

    /// <summary>The properties a record stores: every instance property with a setter of any kind.</summary>
    public static IEnumerable<PropertyInfo> StoredProperties(Type type) =>
        type.GetProperties(Instance).Where(p => p.GetIndexParameters().Length == 0 && p.GetSetMethod(nonPublic: true) is not null);

    private object Value(Type type, string name)
    {
        var n = ++_next;
        if (Nullable.GetUnderlyingType(type) is { } inner) return Value(inner, name);
        if (type == typeof(string)) return $"{name}-{n}{Awkward}";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 1000 + n;
        if (type == typeof(long)) return 10_000_000_000L + n; // beyond int
        if (type == typeof(ulong)) return 10_000_000_000_000_000_000UL + (ulong)n; // beyond long
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567 * n);
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1)!; // never the default (the first) for the enums stored here
        }
        if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Value(element, name + "[0]"));
            list.Add(Value(element, name + "[1]"));
            return list;
        }
        if (type.IsClass) return Record(type, name);
        throw new NotSupportedException($"RecordFiller has no value for {type} ({name}); teach it one");
    }

    private object Record(Type type, string name)
    {
        // Positional records are built through their constructor; the others through the parameterless one.
        var ctor = type.GetConstructors(Instance).Where(c => !IsCopyConstructor(c, type)).OrderByDescending(c => c.GetParameters().Length).First();
        var args = ctor.GetParameters().Select(p => Value(p.ParameterType, $"{name}.{p.Name}")).ToArray();
        var record = ctor.Invoke(args);
        var fromCtor = ctor.GetParameters().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var p in StoredProperties(type).Where(p => !fromCtor.Contains(p.Name)))
            p.SetValue(record, Value(p.PropertyType, $"{name}.{p.Name}"));
        return record;
    }

    private static bool IsCopyConstructor(ConstructorInfo c, Type type) =>
        c.GetParameters() is [var only] && only.ParameterType == type;
}
