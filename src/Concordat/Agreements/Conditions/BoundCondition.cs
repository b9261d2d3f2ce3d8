namespace Concordat.Agreements.Conditions;

/// <summary>
/// A condition after checking: attributes resolved with their types and literals read as typed values. Only
/// well-typed conditions are bound, so evaluation needs no checks.
/// </summary>
internal abstract record BoundCondition;

/// <summary>An operand: an attribute or a literal.</summary>
internal abstract record BoundOperand(ValueType Type);

/// <summary>An attribute read from the dataset, the recipient or the request.</summary>
internal sealed record BoundAttribute(AttributeRef Attribute) : BoundOperand(Attribute.Type);

/// <summary>A literal (scalar or set) or, after folding, an attribute's known value.</summary>
internal sealed record BoundLiteral(ConditionValue Value, ValueType Type) : BoundOperand(Type);

/// <summary>An attribute whose value is not known: it makes every comparison it takes part in unknown.</summary>
internal sealed record BoundMissing(AttributeRef Attribute) : BoundOperand(Attribute.Type);

/// <summary>A truth value of three-valued logic: true, false or unknown.</summary>
internal sealed record BoundConstant(Truth Value) : BoundCondition;

/// <summary>A boolean attribute used as a condition: <c>dataset.personalData</c>.</summary>
internal sealed record BoundTruth(BoundOperand Operand) : BoundCondition;

/// <summary><c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>.</summary>
internal sealed record BoundComparison(string Operator, BoundOperand Left, BoundOperand Right) : BoundCondition;

/// <summary><c>x in S</c>.</summary>
internal sealed record BoundMembership(BoundOperand Element, BoundOperand Set) : BoundCondition;

/// <summary><c>all S in T</c> or <c>any S in T</c>.</summary>
internal sealed record BoundQuantified(bool IsAll, BoundOperand Set, BoundOperand In) : BoundCondition;

/// <summary><c>not C</c>.</summary>
internal sealed record BoundNot(BoundCondition Operand) : BoundCondition;

/// <summary><c>and</c> or <c>or</c>.</summary>
internal sealed record BoundJunction(bool IsAnd, IReadOnlyList<BoundCondition> Operands) : BoundCondition;
