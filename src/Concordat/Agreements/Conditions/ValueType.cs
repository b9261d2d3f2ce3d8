namespace Concordat.Agreements.Conditions;

/// <summary>
/// The type of a value in a condition. Ordered values compare only within one ordering (<see cref="Ordering"/>:
/// <c>sensitivity</c> for sensitivity and clearance, or a custom attribute's name), lowest level first.
/// </summary>
internal sealed record ValueType(ValueKind Kind, string? Ordering = null, IReadOnlyList<string>? Levels = null, ValueType? Element = null)
{
    public static readonly ValueType Boolean = new(ValueKind.Boolean);
    public static readonly ValueType Integer = new(ValueKind.Integer);
    public static readonly ValueType String = new(ValueKind.String);
    public static readonly ValueType Instant = new(ValueKind.Instant);
    public static readonly ValueType Jurisdiction = new(ValueKind.Jurisdiction);
    public static readonly ValueType Action = new(ValueKind.Action);
    public static readonly ValueType Role = new(ValueKind.Role);
    public static readonly ValueType Purpose = new(ValueKind.Purpose);
    public static readonly ValueType Party = new(ValueKind.Party);
    public static readonly ValueType StringSet = new(ValueKind.StringSet);
    public static readonly ValueType JurisdictionSet = new(ValueKind.JurisdictionSet);
    public static readonly ValueType Sensitivity = new(ValueKind.Ordered, "sensitivity", AgreementEnumText.Names<SensitivityLevel>());

    public bool IsSet => Kind is ValueKind.StringSet or ValueKind.JurisdictionSet or ValueKind.Set;

    public bool IsOrdered => Kind is ValueKind.Integer or ValueKind.Instant or ValueKind.Ordered;

    /// <summary>Gets the type of a set's members.</summary>
    public ValueType Member => Kind switch
    {
        ValueKind.StringSet => String,
        ValueKind.JurisdictionSet => Jurisdiction,
        ValueKind.Set => Element!,
        _ => this,
    };

    /// <summary>Gets the type of a set literal of <paramref name="member"/> values.</summary>
    public static ValueType SetOf(ValueType member) => member.Kind switch
    {
        ValueKind.String or ValueKind.Party => StringSet,
        ValueKind.Jurisdiction => JurisdictionSet,
        _ => new ValueType(ValueKind.Set, member.Ordering, member.Levels, member),
    };

    /// <summary>Tells whether values of the two types can be compared for equality (the same kind and ordering).</summary>
    public bool IsComparableWith(ValueType other) =>
        Kind == other.Kind && string.Equals(Ordering, other.Ordering, StringComparison.Ordinal)
        || (Kind is ValueKind.String or ValueKind.Party && other.Kind is ValueKind.String or ValueKind.Party);

    /// <summary>Names the type in messages.</summary>
    public string Describe() => Kind switch
    {
        ValueKind.Ordered => $"a level of `{Ordering}`",
        ValueKind.StringSet => "a set of strings",
        ValueKind.JurisdictionSet => "a set of jurisdictions",
        ValueKind.Set => $"a set, each {Element!.Describe()}",
        ValueKind.Boolean => "a boolean",
        ValueKind.Integer => "an integer",
        ValueKind.String => "a string",
        ValueKind.Instant => "an instant",
        ValueKind.Jurisdiction => "a jurisdiction",
        ValueKind.Action => "an action",
        ValueKind.Role => "a role",
        ValueKind.Purpose => "a purpose",
        _ => "a party",
    };

    public bool Equals(ValueType? other) => other is not null && Kind == other.Kind && string.Equals(Ordering, other.Ordering, StringComparison.Ordinal) && Equals(Element, other.Element);

    public override int GetHashCode() => HashCode.Combine(Kind, Ordering, Element);
}
