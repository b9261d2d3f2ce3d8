using Concordat.Core;

namespace Concordat.Agreements.Conditions;

/// <summary>
/// Checks a condition against an agreement's attributes and binds it: every path names an attribute (AGR2026),
/// every comparison joins compatible types (AGR2027), every literal is a value of the type it meets, every purpose
/// is defined. Reports each problem at its offsets in the condition's text.
/// </summary>
internal sealed class ConditionChecker(ConditionAttributes attributes, Action<ErrorCode, string, int, int> report)
{
    private bool _failed;

    /// <summary>Binds <paramref name="syntax"/>; null when a problem was reported.</summary>
    public BoundCondition? Check(ConditionSyntax syntax)
    {
        _failed = false;
        var bound = Condition(syntax);
        return _failed ? null : bound;
    }

    private BoundCondition Condition(ConditionSyntax syntax)
    {
        switch (syntax)
        {
            case JunctionSyntax junction:
                return new BoundJunction(junction.IsAnd, [.. junction.Operands.Select(Condition)]);
            case NotSyntax not:
                return new BoundNot(Condition(not.Operand));
            case BooleanSyntax boolean:
                return new BoundConstant(boolean.Value ? Truth.True : Truth.False);
            case WordSyntax { IsPath: true } word:
                if (Attribute(word) is { } attribute)
                {
                    if (attribute.Type.Kind == ValueKind.Boolean)
                    {
                        return new BoundTruth(attribute);
                    }

                    Type(word, $"`{word.Text}` is {attribute.Type.Describe()}, not a condition");
                }

                return Failed();
            case ComparisonSyntax { Operator: "in" } membership:
                return Membership(membership);
            case ComparisonSyntax comparison:
                return Comparison(comparison);
            case QuantifiedSyntax quantified:
                return Quantified(quantified);
            default:
                Type(syntax, "a value alone is not a condition: compare it with an attribute");
                return Failed();
        }
    }

    private BoundCondition Comparison(ComparisonSyntax syntax)
    {
        var (left, right) = (Operand(syntax.Left), Operand(syntax.Right));
        if (left is BoundMissing || right is BoundMissing)
        {
            return Failed();
        }

        if (left is null && right is null)
        {
            return Untyped(syntax);
        }

        if (IsSet(syntax.Left, left) || IsSet(syntax.Right, right))
        {
            Type(syntax, $"`{syntax.Operator}` compares single values, not sets: use `in`, `all ... in` or `any ... in`");
            return Failed();
        }

        var type = (left ?? right)!.Type;
        left ??= Literal(syntax.Left, type);
        right ??= Literal(syntax.Right, type);
        if (left is null || right is null)
        {
            return Failed();
        }

        if (!left.Type.IsComparableWith(right.Type))
        {
            Type(syntax, $"`{syntax.Operator}` compares {left.Type.Describe()} with {right.Type.Describe()}");
            return Failed();
        }

        if (syntax.Operator is "<" or "<=" or ">" or ">=" && !left.Type.IsOrdered)
        {
            Type(syntax, $"`{syntax.Operator}` needs ordered values (levels, integers, instants), found {left.Type.Describe()}");
            return Failed();
        }

        return BothFromRequest(syntax, left, right) ? Failed() : new BoundComparison(syntax.Operator, left, right);
    }

    private BoundCondition Membership(ComparisonSyntax syntax)
    {
        var (element, set) = (Operand(syntax.Left), Operand(syntax.Right));
        if (element is BoundMissing || set is BoundMissing)
        {
            return Failed();
        }

        if (element is null && set is null)
        {
            return Untyped(syntax);
        }

        if (IsSet(syntax.Left, element))
        {
            Type(syntax.Left, "`in` tests one value: write `all S in T` or `any S in T` for a set");
            return Failed();
        }

        if (set is not null && !set.Type.IsSet)
        {
            Type(syntax.Right, $"`in` needs a set on its right, found {set.Type.Describe()}");
            return Failed();
        }

        if (set is null && syntax.Right is not SetSyntax)
        {
            Type(syntax.Right, "`in` needs a set on its right: a set attribute or `[a, b]`");
            return Failed();
        }

        element ??= Literal(syntax.Left, set!.Type.Member);
        set ??= Literal(syntax.Right, element?.Type ?? ValueType.String);
        if (element is null || set is null)
        {
            return Failed();
        }

        if (!element.Type.IsComparableWith(set.Type.Member))
        {
            Type(syntax, $"`in` tests {element.Type.Describe()} against {set.Type.Describe()}");
            return Failed();
        }

        return BothFromRequest(syntax, element, set) ? Failed() : new BoundMembership(element, set);
    }

    private BoundCondition Quantified(QuantifiedSyntax syntax)
    {
        var keyword = syntax.IsAll ? "all" : "any";
        var (set, target) = (Operand(syntax.Set), Operand(syntax.In));
        if (set is BoundMissing || target is BoundMissing)
        {
            return Failed();
        }

        if ((set is not null && !set.Type.IsSet) || (set is null && syntax.Set is not SetSyntax))
        {
            Type(syntax.Set, $"`{keyword}` needs a set, found {set?.Type.Describe() ?? "a single value"}");
            return Failed();
        }

        if ((target is not null && !target.Type.IsSet) || (target is null && syntax.In is not SetSyntax))
        {
            Type(syntax.In, $"`{keyword} ... in` needs a set on its right, found {target?.Type.Describe() ?? "a single value"}");
            return Failed();
        }

        if (set is null && target is null)
        {
            return Untyped(syntax);
        }

        set ??= Literal(syntax.Set, target!.Type.Member);
        target ??= Literal(syntax.In, set!.Type.Member);
        if (set is null || target is null)
        {
            return Failed();
        }

        if (!set.Type.Member.IsComparableWith(target.Type.Member))
        {
            Type(syntax, $"`{keyword}` tests {set.Type.Describe()} against {target.Type.Describe()}");
            return Failed();
        }

        return new BoundQuantified(syntax.IsAll, set, target);
    }

    /// <summary>Binds an attribute operand; null for a literal, whose type comes from the other side.</summary>
    private BoundOperand? Operand(ConditionSyntax syntax) => syntax switch
    {
        WordSyntax { IsPath: true } word => Attribute(word) ?? (BoundOperand)new BoundMissing(new AttributeRef(AttributeSubject.Request, word.Text, ValueType.String, false)),
        _ => null,
    };

    private BoundAttribute? Attribute(WordSyntax word)
    {
        var dot = word.Text.IndexOf('.', StringComparison.Ordinal);
        var subject = Enum.Parse<AttributeSubject>(word.Text[..dot], ignoreCase: true);
        var name = word.Text[(dot + 1)..];
        if (attributes.Find(subject, name) is { } attribute)
        {
            return new BoundAttribute(attribute);
        }

        _failed = true;
        var known = attributes.Names(subject).ToArray();
        var help = Reading.Suggestions.Closest(name, known) is { } closest ? $"did you mean `{word.Text[..dot]}.{closest}`? " : string.Empty;
        report(AgreementDiagnosticCodes.UndefinedAttribute, $"`{word.Text}` is not an attribute: {help}{word.Text[..dot]} attributes are {string.Join(", ", known.Select(k => $"`{k}`"))}", word.Start, word.End);
        return null;
    }

    /// <summary>Reads a literal operand as a value of <paramref name="type"/> (a set literal as a set of it).</summary>
    private BoundLiteral? Literal(ConditionSyntax syntax, ValueType type)
    {
        switch (syntax)
        {
            case SetSyntax set:
                var member = type.Member;
                var values = new List<string>();
                foreach (var item in set.Items)
                {
                    if (Scalar(item, member) is not { } value)
                    {
                        return null;
                    }

                    values.Add(value.Text);
                }

                return new BoundLiteral(ConditionValue.Set(values), ValueType.SetOf(member));
            case BooleanSyntax boolean when type.Kind == ValueKind.Boolean:
                return new BoundLiteral(ConditionValue.Of(boolean.Value), ValueType.Boolean);
            case WordSyntax word when Scalar(word, type) is { } scalar:
                return new BoundLiteral(scalar, type);
            case WordSyntax:
                return null;
            default:
                Type(syntax, $"expected {type.Describe()}");
                return null;
        }
    }

    private ConditionValue? Scalar(WordSyntax word, ValueType type)
    {
        if (word.IsPath)
        {
            Type(word, "a set literal holds values, not attributes");
            return null;
        }

        if (!ConditionLiterals.TryRead(word.Text, type, out var value, out var problem))
        {
            Type(word, problem);
            return null;
        }

        if (type.Kind == ValueKind.Purpose && !attributes.Purposes.Contains(word.Text))
        {
            _failed = true;
            report(AgreementDiagnosticCodes.UndefinedPurpose, $"purpose `{word.Text}` is not defined", word.Start, word.End);
            return null;
        }

        return value;
    }

    private static bool IsSet(ConditionSyntax syntax, BoundOperand? operand) => syntax is SetSyntax || operand?.Type.IsSet == true;

    private bool BothFromRequest(ConditionSyntax syntax, BoundOperand left, BoundOperand right)
    {
        if (left is BoundAttribute { Attribute.Subject: AttributeSubject.Request } && right is BoundAttribute { Attribute.Subject: AttributeSubject.Request })
        {
            Type(syntax, "a condition compares a request attribute with a value or an agreement attribute, not with another request attribute");
            return true;
        }

        return false;
    }

    private BoundConstant Untyped(ConditionSyntax syntax)
    {
        Type(syntax, "compares two values: one side must be an attribute (`dataset.`, `recipient.` or `request.`)");
        return Failed();
    }

    private void Type(ConditionSyntax syntax, string message)
    {
        _failed = true;
        report(AgreementDiagnosticCodes.ConditionTypeMismatch, message, syntax.Start, syntax.End);
    }

    private BoundConstant Failed()
    {
        _failed = true;
        return new BoundConstant(Truth.Unknown);
    }
}
