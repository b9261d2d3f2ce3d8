namespace Concordat.Data.Aggregates;

/// <summary>How a filter compares a field's value.</summary>
// CAUTION: persisted/public format; see docs/api.md
public enum FilterOperator
{
    /// <summary><c>=</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,

    /// <summary><c>in</c>: equal to one of the values.</summary>
    In,

    /// <summary><c>between</c>: from the first value to the second, both included.</summary>
    Between,
}
