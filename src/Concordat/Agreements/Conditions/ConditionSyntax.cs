namespace Concordat.Agreements.Conditions;

/// <summary>
/// A node of a condition as written, with its place in the condition's text (<see cref="Start"/> and
/// <see cref="End"/> are character offsets), so that checks can point at the word that is wrong.
/// </summary>
internal abstract record ConditionSyntax(int Start, int End);

/// <summary>An operand: an attribute path (<c>dataset.sensitivity</c>) or a literal word or quoted string.</summary>
internal sealed record WordSyntax(string Text, bool IsQuoted, int Start, int End) : ConditionSyntax(Start, End)
{
    /// <summary>The roots an attribute path starts with.</summary>
    public static readonly string[] Roots = ["dataset", "recipient", "request"];

    /// <summary>Gets a value indicating whether the word names an attribute (<c>root.name</c>).</summary>
    public bool IsPath => !IsQuoted && Text.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && Roots.Contains(Text[..dot]);
}

/// <summary>A set literal: <c>[DE, FR]</c>.</summary>
internal sealed record SetSyntax(IReadOnlyList<WordSyntax> Items, int Start, int End) : ConditionSyntax(Start, End);

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed record BooleanSyntax(bool Value, int Start, int End) : ConditionSyntax(Start, End);

/// <summary>A comparison: <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> or <c>in</c> (<c>contains</c> is read as <c>in</c> reversed).</summary>
internal sealed record ComparisonSyntax(string Operator, ConditionSyntax Left, ConditionSyntax Right, int Start, int End) : ConditionSyntax(Start, End);

/// <summary><c>all S in T</c> (every member of S is in T) or <c>any S in T</c> (some member is).</summary>
internal sealed record QuantifiedSyntax(bool IsAll, ConditionSyntax Set, ConditionSyntax In, int Start, int End) : ConditionSyntax(Start, End);

/// <summary><c>not C</c>.</summary>
internal sealed record NotSyntax(ConditionSyntax Operand, int Start, int End) : ConditionSyntax(Start, End);

/// <summary><c>A and B and ...</c> or <c>A or B or ...</c>.</summary>
internal sealed record JunctionSyntax(bool IsAnd, IReadOnlyList<ConditionSyntax> Operands, int Start, int End) : ConditionSyntax(Start, End);
