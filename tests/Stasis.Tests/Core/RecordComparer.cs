using System.Collections;
using Xunit;

namespace Stasis.Tests.Core;

/// <summary>Compares two records property by property (lists element by element, dates with their offset), naming
/// the first property that differs; records' own Equals compares lists by reference.</summary>
internal static class RecordComparer
{
    public static void ShouldMatch(object? actual, object? expected, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }
        switch (expected)
        {
            case string or bool or int or long or ulong or Enum:
                Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
                return;
            case DateTimeOffset d:
                Assert.True(actual is DateTimeOffset a && a.EqualsExact(d), $"{path}: expected {d:O}, got {actual:O}");
                return;
            case IEnumerable list:
                var e = list.Cast<object?>().ToList();
                var g = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.True(e.Count == g.Count, $"{path}: expected {e.Count} elements, got {g.Count}");
                for (var i = 0; i < e.Count; i++) ShouldMatch(g[i], e[i], $"{path}[{i}]");
                return;
        }
        foreach (var p in RecordFiller.StoredProperties(expected.GetType()))
            ShouldMatch(p.GetValue(actual), p.GetValue(expected), $"{path}.{p.Name}");
    }
}
