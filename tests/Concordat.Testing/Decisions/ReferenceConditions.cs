using Concordat.Agreements;
using Concordat.Agreements.Conditions;
using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>
/// Evaluates a condition naively for one request, written from docs/formats/agreement.md#conditions: every attribute
/// is read where it stands and every comparison made per request, in three-valued logic. It shares only the
/// checker (which types the condition) with the library; no folding, no compiled sets.
/// </summary>
public static class ReferenceConditions
{
    private static readonly string[] s_eu =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    private static readonly string[] s_eea = [.. s_eu, "IS", "LI", "NO"];

    private static readonly string[] s_levels = ["public", "internal", "confidential", "restricted"];

    /// <summary>Evaluates <paramref name="condition"/>: 2 true, 1 unknown, 0 false.</summary>
    public static int Evaluate(Condition condition, Agreement agreement, DatasetDefinition dataset, Party recipient, DecisionRequest request)
    {
        var bound = new ConditionChecker(new ConditionAttributes(agreement), (_, _, _, _) => { }).Check(condition.Syntax);
        return bound is null ? 1 : Evaluate(bound, new Context(agreement, dataset, recipient, request));
    }

    /// <summary>
    /// The dataset and recipient attributes <paramref name="condition"/> mentions, each with its value as canonical
    /// text (a set as <c>[a, b]</c>, sorted) or null when the agreement gives none.
    /// </summary>
    public static IEnumerable<AttributeValue> Read(Condition condition, Agreement agreement, DatasetDefinition dataset, Party recipient)
    {
        var bound = new ConditionChecker(new ConditionAttributes(agreement), (_, _, _, _) => { }).Check(condition.Syntax);
        var context = new Context(agreement, dataset, recipient, default);
        return bound is null ? [] : Mentioned(bound).Where(a => a.Subject != AttributeSubject.Request).Select(a => new AttributeValue(
            $"{(a.Subject == AttributeSubject.Dataset ? "dataset" : "recipient")}.{a.Name}",
            Value(new BoundAttribute(a), context) is { } v ? (v.Members is { } members ? $"[{string.Join(", ", members.Distinct().Order(StringComparer.Ordinal))}]" : v.Text) : null,
            AttributeSource.Agreement));
    }

    private static IEnumerable<AttributeRef> Mentioned(BoundCondition condition) => condition switch
    {
        BoundNot not => Mentioned(not.Operand),
        BoundJunction junction => junction.Operands.SelectMany(Mentioned),
        BoundTruth truth => Mentioned(truth.Operand),
        BoundComparison comparison => Mentioned(comparison.Left).Concat(Mentioned(comparison.Right)),
        BoundMembership m => Mentioned(m.Element).Concat(Mentioned(m.Set)),
        BoundQuantified q => Mentioned(q.Set).Concat(Mentioned(q.In)),
        _ => [],
    };

    private static IEnumerable<AttributeRef> Mentioned(BoundOperand operand) => operand is BoundAttribute { Attribute: var a } ? [a] : [];

    private static int Evaluate(BoundCondition condition, Context c) => condition switch
    {
        BoundConstant constant => (int)constant.Value,
        BoundNot not => 2 - Evaluate(not.Operand, c),
        BoundJunction { IsAnd: true } and => and.Operands.Min(o => Evaluate(o, c)),
        BoundJunction or => or.Operands.Max(o => Evaluate(o, c)),
        BoundTruth truth => Value(truth.Operand, c) is { } v ? (v.Text == "true" ? 2 : 0) : 1,
        BoundComparison comparison => Value(comparison.Left, c) is { } l && Value(comparison.Right, c) is { } r ? (Compare(comparison.Operator, l, r, comparison.Left.Type) ? 2 : 0) : 1,
        BoundMembership m => Value(m.Element, c) is { } e && Value(m.Set, c) is { } s ? (In(e.Text, s.Members!, m.Element.Type, c.Agreement) ? 2 : 0) : 1,
        BoundQuantified q => Value(q.Set, c) is { } s && Value(q.In, c) is { } t
            ? ((q.IsAll ? s.Members!.All(x => In(x, t.Members!, q.Set.Type.Member, c.Agreement)) : s.Members!.Any(x => In(x, t.Members!, q.Set.Type.Member, c.Agreement))) ? 2 : 0)
            : 1,
        _ => throw new InvalidOperationException("unknown node"),
    };

    private static bool Compare(string op, Val left, Val right, global::Concordat.Agreements.Conditions.ValueType type)
    {
        var order = type.Kind is ValueKind.Integer or ValueKind.Instant or ValueKind.Ordered ? left.Number.CompareTo(right.Number) : string.CompareOrdinal(left.Text, right.Text);
        return op switch { "==" => order == 0, "!=" => order != 0, "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
    }

    private static bool In(string element, IReadOnlyList<string> set, global::Concordat.Agreements.Conditions.ValueType type, Agreement agreement) => type.Kind switch
    {
        ValueKind.Jurisdiction => set.Contains(element) || set.Any(g => (g == "EU" ? s_eu : g == "EEA" ? s_eea : []).Contains(element))
            || (element is "EU" or "EEA" && (element == "EU" ? s_eu : s_eea).All(m => set.Contains(m) || set.Any(g => (g == "EU" ? s_eu : g == "EEA" ? s_eea : []).Contains(m)))),
        ValueKind.Purpose => set.Any(listed => IsSameOrNarrower(agreement, element, listed)),
        _ => set.Contains(element),
    };

    private static bool IsSameOrNarrower(Agreement agreement, string purpose, string listed)
    {
        string? current = purpose;
        for (var steps = 0; current is not null && steps <= agreement.Purposes.Count; steps++)
        {
            if (current == listed)
            {
                return true;
            }

            current = agreement.Purposes.FirstOrDefault(p => p.Id.Value == current)?.Broader?.Value;
        }

        return false;
    }

    private static Val? Value(BoundOperand operand, Context c) => operand switch
    {
        BoundLiteral literal => new Val(literal.Value.Text, literal.Value.Number, literal.Value.Members),
        BoundAttribute { Attribute: var a } => a.Subject switch
        {
            AttributeSubject.Dataset => DatasetValue(a, c),
            AttributeSubject.Recipient => RecipientValue(a, c),
            _ => RequestValue(a, c.Request),
        },
        _ => null,
    };

    private static Val? DatasetValue(AttributeRef a, Context c)
    {
        var d = c.Dataset;
        if (a.IsCustom)
        {
            return Custom(d.Attributes, a, c.Agreement);
        }

        return a.Name switch
        {
            "id" => new Val(d.Id.Value),
            "owner" => new Val(d.Owner.Value),
            "sensitivity" => new Val(s_levels[(int)d.Tags.Sensitivity], (int)d.Tags.Sensitivity),
            "personalData" => new Val(d.Tags.PersonalData ? "true" : "false"),
            "licence" => d.Tags.Licence is { } l ? new Val(l) : null,
            "source" => d.Tags.Source is { } s ? new Val(s) : null,
            "originJurisdiction" => d.Tags.OriginJurisdiction is { } o ? new Val(o.Value) : null,
            "residency" => d.Tags.Residency.Count > 0 ? Set(d.Tags.Residency.Select(j => j.Value)) : null,
            _ => Set(c.Agreement.Collections.Where(x => x.Datasets.Contains(d.Id)).Select(x => x.Id.Value)),
        };
    }

    private static Val? RecipientValue(AttributeRef a, Context c)
    {
        var p = c.Recipient;
        if (a.IsCustom)
        {
            return Custom(p.Attributes, a, c.Agreement);
        }

        return a.Name switch
        {
            "id" => new Val(p.Id.Value),
            "jurisdiction" => new Val(p.Jurisdiction.Value),
            "clearance" => p.Clearance is { } level ? new Val(s_levels[(int)level], (int)level) : null,
            "certifications" => Set(p.Certifications),
            _ => Set(c.Agreement.Groups.Where(g => g.Parties.Contains(p.Id)).Select(g => g.Id.Value)),
        };
    }

    private static Val? RequestValue(AttributeRef a, DecisionRequest r) => a.Name switch
    {
        "action" => new Val(AgreementEnumText.ToText(r.Action)),
        "purpose" => new Val(r.Purpose.Value),
        "jurisdiction" => new Val(r.Jurisdiction.Value),
        "subprocessor" => r.Subprocessor is { } s ? new Val(s.Value) : null,
        "time" => new Val(string.Empty, r.Time.UtcTicks),
        _ => r.Role is { } role ? new Val(AgreementEnumText.ToText(role)) : null,
    };

    private static Val? Custom(IReadOnlyList<AttributeAssignment> assigned, AttributeRef a, Agreement agreement)
    {
        if (assigned.FirstOrDefault(x => x.Name == a.Name) is not { } value)
        {
            return null;
        }

        if (a.Type.IsSet)
        {
            return Set(value.Values);
        }

        var text = value.Values[0];
        return a.Type.Kind switch
        {
            ValueKind.Ordered => new Val(text, a.Type.Levels!.ToList().IndexOf(text)),
            ValueKind.Integer => new Val(text, long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)),
            ValueKind.Instant => new Val(text, DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).UtcTicks),
            _ => new Val(text),
        };
    }

    private static Val Set(IEnumerable<string> members) => new(string.Empty, 0, [.. members.Distinct()]);

    private sealed record Val(string Text, long Number = 0, IReadOnlyList<string>? Members = null);

    private sealed record Context(Agreement Agreement, DatasetDefinition Dataset, Party Recipient, DecisionRequest Request);
}
