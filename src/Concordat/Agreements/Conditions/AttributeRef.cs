namespace Concordat.Agreements.Conditions;

/// <summary>An attribute a condition reads, such as <c>dataset.sensitivity</c>, with its type.</summary>
internal sealed record AttributeRef(AttributeSubject Subject, string Name, ValueType Type, bool IsCustom)
{
    /// <summary>Gets the path as written: <c>dataset.sensitivity</c>.</summary>
    public string Path => $"{Subject.ToString().ToLowerInvariant()}.{Name}";
}
