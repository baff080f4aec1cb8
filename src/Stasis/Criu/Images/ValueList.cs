using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Stasis.Criu.Images;

/// <summary>An immutable list with value equality, so the result records compare equal after a JSON round trip.</summary>
[JsonConverter(typeof(ValueListJsonConverterFactory))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public ValueList(IEnumerable<T> items) => _items = [.. items];

    private ValueList(T[] items) => _items = items;

    public static ValueList<T> Empty { get; } = new([]);

    public int Count => _items.Length;
    public T this[int index] => _items[index];

    public bool Equals(ValueList<T>? other)
        => other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default));

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items)
            h.Add(item);
        return h.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", _items)}]";

    internal static ValueList<T> Wrap(T[] items) => items.Length == 0 ? Empty : new(items);

    [return: NotNullIfNotNull(nameof(items))]
    public static implicit operator ValueList<T>?(T[]? items) => items is null ? null : new(items);

    [return: NotNullIfNotNull(nameof(items))]
    public static implicit operator ValueList<T>?(List<T>? items) => items is null ? null : new(items);
}
