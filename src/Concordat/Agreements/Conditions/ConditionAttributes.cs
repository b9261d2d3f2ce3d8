namespace Concordat.Agreements.Conditions;

/// <summary>
/// The attributes conditions can read: the built-in ones of the dataset, the recipient and the request, and an
/// agreement's declared custom attributes of datasets and parties.
/// </summary>
// CAUTION: persisted/public format (the names conditions use); see docs/formats/agreement.md#conditions
internal sealed class ConditionAttributes
{
    #region Built-in attributes (docs/formats/agreement.md#attributes)
    private static readonly Dictionary<string, ValueType> s_dataset = new(StringComparer.Ordinal)
    {
        ["id"] = ValueType.String,
        ["owner"] = ValueType.Party,
        ["sensitivity"] = ValueType.Sensitivity,
        ["personalData"] = ValueType.Boolean,
        ["licence"] = ValueType.String,
        ["source"] = ValueType.String,
        ["originJurisdiction"] = ValueType.Jurisdiction,
        ["residency"] = ValueType.JurisdictionSet,
        ["collections"] = ValueType.StringSet,
    };

    private static readonly Dictionary<string, ValueType> s_recipient = new(StringComparer.Ordinal)
    {
        ["id"] = ValueType.Party,
        ["jurisdiction"] = ValueType.Jurisdiction,
        ["clearance"] = ValueType.Sensitivity,
        ["certifications"] = ValueType.StringSet,
        ["groups"] = ValueType.StringSet,
    };

    private static readonly Dictionary<string, ValueType> s_request = new(StringComparer.Ordinal)
    {
        ["action"] = ValueType.Action,
        ["purpose"] = ValueType.Purpose,
        ["jurisdiction"] = ValueType.Jurisdiction,
        ["subprocessor"] = ValueType.Party,
        ["time"] = ValueType.Instant,
        ["role"] = ValueType.Role,
    };
    #endregion

    private readonly Dictionary<(AttributeSubject, string), AttributeRef> _custom = [];

    public ConditionAttributes(Agreement agreement)
    {
        foreach (var declaration in agreement.Attributes)
        {
            var subject = declaration.Of == AttributeOwner.Dataset ? AttributeSubject.Dataset : AttributeSubject.Recipient;
            if (!BuiltIn(subject).ContainsKey(declaration.Name))
            {
                _custom.TryAdd((subject, declaration.Name), new AttributeRef(subject, declaration.Name, TypeOf(declaration), IsCustom: true));
            }
        }

        Purposes = [.. agreement.Purposes.Select(p => p.Id.Value)];
    }

    /// <summary>Gets the ids of the purpose vocabulary.</summary>
    public HashSet<string> Purposes { get; }

    /// <summary>Tells whether <paramref name="name"/> is a built-in attribute of datasets or parties.</summary>
    public static bool IsBuiltIn(AttributeOwner owner, string name) =>
        BuiltIn(owner == AttributeOwner.Dataset ? AttributeSubject.Dataset : AttributeSubject.Recipient).ContainsKey(name);

    /// <summary>Gets the type of a declared custom attribute.</summary>
    public static ValueType TypeOf(AttributeDeclaration declaration) => declaration.Type switch
    {
        AttributeType.String => ValueType.String,
        AttributeType.Integer => ValueType.Integer,
        AttributeType.Boolean => ValueType.Boolean,
        AttributeType.Instant => ValueType.Instant,
        AttributeType.Jurisdiction => ValueType.Jurisdiction,
        AttributeType.StringSet => ValueType.StringSet,
        AttributeType.JurisdictionSet => ValueType.JurisdictionSet,
        _ => new ValueType(ValueKind.Ordered, declaration.Name, declaration.Levels),
    };

    /// <summary>Resolves <c>root.name</c>, when it names an attribute.</summary>
    public AttributeRef? Find(AttributeSubject subject, string name) =>
        BuiltIn(subject).TryGetValue(name, out var type) ? new AttributeRef(subject, name, type, IsCustom: false)
        : _custom.GetValueOrDefault((subject, name));

    /// <summary>Lists the names readable under <paramref name="subject"/>, for help texts.</summary>
    public IEnumerable<string> Names(AttributeSubject subject) =>
        BuiltIn(subject).Keys.Concat(_custom.Keys.Where(k => k.Item1 == subject).Select(k => k.Item2));

    private static Dictionary<string, ValueType> BuiltIn(AttributeSubject subject) => subject switch
    {
        AttributeSubject.Dataset => s_dataset,
        AttributeSubject.Recipient => s_recipient,
        _ => s_request,
    };
}
