namespace Concordat.Agreements.Conditions;

/// <summary>
/// A value in a condition: a scalar as <see cref="Text"/> (its canonical spelling) and, when it is ordered or a
/// boolean, as <see cref="Number"/> (level index, integer, instant ticks, 0 or 1); a set as <see cref="Members"/>.
/// </summary>
internal sealed record ConditionValue(string Text, long Number = 0, IReadOnlyList<string>? Members = null)
{
    public static ConditionValue Of(bool value) => new(value ? "true" : "false", value ? 1 : 0);

    public static ConditionValue Set(IEnumerable<string> members)
    {
        var sorted = members.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new ConditionValue($"[{string.Join(", ", sorted)}]", sorted.Length, sorted);
    }
}
