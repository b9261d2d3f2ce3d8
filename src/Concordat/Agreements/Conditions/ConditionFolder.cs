using Concordat.Decisions;

namespace Concordat.Agreements.Conditions;

/// <summary>
/// Evaluates what can be evaluated before any request: given the dataset's and the recipient's attribute values,
/// it replaces each attribute by its value (or by <see cref="BoundMissing"/> when it has none) and simplifies, so
/// that what is left reads only the request. The index compiles what is left; the validator reads constants.
/// </summary>
/// <remarks>
/// The rules of three-valued logic (docs/formats/agreement.md#conditions): a comparison with an attribute that has no
/// value is unknown; <c>and</c> is false when any operand is false, <c>or</c> true when any is true; <c>not</c> of
/// unknown is unknown. Jurisdiction membership covers groups: <c>DE in [EU]</c> holds, <c>EU in [DE]</c> does not.
/// </remarks>
internal static class ConditionFolder
{
    public static BoundCondition Fold(BoundCondition condition, Func<AttributeRef, ConditionValue?> valueOf)
    {
        switch (condition)
        {
            case BoundConstant:
                return condition;
            case BoundTruth truth:
                return Operand(truth.Operand, valueOf) switch
                {
                    BoundLiteral literal => Constant(literal.Value.Number != 0),
                    BoundMissing => new BoundConstant(Truth.Unknown),
                    var residual => new BoundTruth(residual),
                };
            case BoundNot not:
                var inner = Fold(not.Operand, valueOf);
                return inner is BoundConstant c ? new BoundConstant((Truth)(2 - (int)c.Value)) : new BoundNot(inner);
            case BoundJunction junction:
                return Junction(junction.IsAnd, junction.Operands.Select(o => Fold(o, valueOf)));
            case BoundComparison comparison:
                var (left, right) = (Operand(comparison.Left, valueOf), Operand(comparison.Right, valueOf));
                return left is BoundMissing || right is BoundMissing ? new BoundConstant(Truth.Unknown)
                    : left is BoundLiteral l && right is BoundLiteral r ? Constant(Compare(comparison.Operator, l.Value, r.Value, l.Type))
                    : comparison with { Left = left, Right = right };
            case BoundMembership membership:
                var (element, set) = (Operand(membership.Element, valueOf), Operand(membership.Set, valueOf));
                return element is BoundMissing || set is BoundMissing ? new BoundConstant(Truth.Unknown)
                    : element is BoundLiteral e && set is BoundLiteral s ? Constant(IsMember(e.Value.Text, s.Value.Members ?? [], e.Type))
                    : membership with { Element = element, Set = set };
            case BoundQuantified quantified:
                var (members, target) = (Operand(quantified.Set, valueOf), Operand(quantified.In, valueOf));
                return members is BoundMissing || target is BoundMissing ? new BoundConstant(Truth.Unknown)
                    : members is BoundLiteral m && target is BoundLiteral t ? Constant(Quantify(quantified.IsAll, m.Value.Members ?? [], t.Value.Members ?? [], m.Type.Member))
                    : quantified with { Set = members, In = target };
            default:
                throw new InvalidOperationException("unknown condition node");
        }
    }

    /// <summary>Compares two values of one type.</summary>
    public static bool Compare(string op, ConditionValue left, ConditionValue right, ValueType type)
    {
        var order = type.IsOrdered || type.Kind == ValueKind.Boolean
            ? left.Number.CompareTo(right.Number)
            : string.CompareOrdinal(left.Text, right.Text);
        return op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    /// <summary>Tells whether <paramref name="element"/> is in <paramref name="set"/>; jurisdictions are covered by their groups.</summary>
    public static bool IsMember(string element, IReadOnlyList<string> set, ValueType elementType) =>
        elementType.Kind == ValueKind.Jurisdiction ? JurisdictionGroups.ExpandMembers(set).Contains(element) : set.Contains(element, StringComparer.Ordinal);

    /// <summary><c>all</c>: every member is in the target (true for an empty set); <c>any</c>: some member is.</summary>
    public static bool Quantify(bool isAll, IReadOnlyList<string> members, IReadOnlyList<string> target, ValueType memberType) =>
        isAll ? members.All(m => IsMember(m, target, memberType)) : members.Any(m => IsMember(m, target, memberType));

    /// <summary>Lists the dataset and recipient attributes a condition reads, each once, in the order written.</summary>
    public static IEnumerable<AttributeRef> AgreementAttributes(BoundCondition condition) => Attributes(condition).Where(a => a.Subject != AttributeSubject.Request).Distinct();

    private static IEnumerable<AttributeRef> Attributes(BoundCondition condition) => condition switch
    {
        BoundTruth t => Operands(t.Operand),
        BoundNot n => Attributes(n.Operand),
        BoundJunction j => j.Operands.SelectMany(Attributes),
        BoundComparison c => Operands(c.Left).Concat(Operands(c.Right)),
        BoundMembership m => Operands(m.Element).Concat(Operands(m.Set)),
        BoundQuantified q => Operands(q.Set).Concat(Operands(q.In)),
        _ => [],
    };

    private static IEnumerable<AttributeRef> Operands(BoundOperand operand) => operand switch
    {
        BoundAttribute a => [a.Attribute],
        BoundMissing m => [m.Attribute],
        _ => [],
    };

    private static BoundOperand Operand(BoundOperand operand, Func<AttributeRef, ConditionValue?> valueOf) =>
        operand is BoundAttribute { Attribute.Subject: not AttributeSubject.Request } attribute
            ? valueOf(attribute.Attribute) is { } value ? new BoundLiteral(value, attribute.Type) : new BoundMissing(attribute.Attribute)
            : operand;

    private static BoundCondition Junction(bool isAnd, IEnumerable<BoundCondition> operands)
    {
        var kept = new List<BoundCondition>();
        var unknown = false;
        foreach (var operand in operands)
        {
            if (operand is BoundConstant { Value: var value })
            {
                // Invariant: false decides an `and`, true decides an `or`, whatever the other operands are.
                if (value == (isAnd ? Truth.False : Truth.True))
                {
                    return new BoundConstant(value);
                }

                unknown |= value == Truth.Unknown;
                continue;
            }

            kept.Add(operand);
        }

        if (unknown)
        {
            kept.Add(new BoundConstant(Truth.Unknown));
        }

        return kept.Count switch
        {
            0 => new BoundConstant(isAnd ? Truth.True : Truth.False),
            1 => kept[0],
            _ => new BoundJunction(isAnd, kept),
        };
    }

    private static BoundConstant Constant(bool value) => new(value ? Truth.True : Truth.False);
}
