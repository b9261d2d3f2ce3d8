using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Conditions;
using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>
/// One agreement written in Cedar (the mapping of docs/design/decisions.md#checked-against-cedar): one policy per
/// grant and per decidable prohibition, with the clause id as policy id, one policy for the role table, and the
/// agreement's parties, groups, datasets, collections and purposes as schema-free Cedar entities.
/// </summary>
public sealed class CedarTranslation
{
    /// <summary>The id of the policy that forbids an action the request's role does not allow.</summary>
    public const string RolePolicyId = "concordat-role";

    private static readonly DateTimeOffset s_unixEpoch = DateTimeOffset.UnixEpoch;

    // What each identity role may do, written out from docs/design/decisions.md (not read from the library's table).
    private static readonly (string Role, string[] Actions)[] s_roleActions =
    [
        ("ingestion", []),
        ("training", ["read-rows", "download-snapshot"]),
        ("deployment", ["aggregate-query"]),
        ("analysis", ["read-rows", "aggregate-query"]),
    ];

    private readonly Agreement _agreement;
    private readonly ConditionAttributes _attributes;

    private CedarTranslation(Agreement agreement)
    {
        _agreement = agreement;
        _attributes = new ConditionAttributes(agreement);
        var policies = new Dictionary<string, string>(StringComparer.Ordinal) { [RolePolicyId] = RolePolicy() };
        foreach (var grant in agreement.Grants)
        {
            policies[grant.Id.Value] = GrantPolicy(grant);
        }

        foreach (var prohibition in agreement.Prohibitions.Where(IsDecidable))
        {
            policies[prohibition.Id.Value] = ProhibitionPolicy(prohibition);
        }

        Policies = policies;
        Entities = BuildEntities();
    }

    /// <summary>Gets the policies by id, each one line of Cedar text.</summary>
    public IReadOnlyDictionary<string, string> Policies { get; }

    /// <summary>Gets the entities, as Cedar's JSON entity format.</summary>
    public JsonArray Entities { get; }

    /// <summary>Gets the whole policy set as text, for messages.</summary>
    public string Text => string.Join('\n', Policies.Values);

    /// <summary>Translates <paramref name="agreement"/>.</summary>
    /// <exception cref="NotSupportedException">A condition does not check, or uses a construct the mapping leaves out.</exception>
    public static CedarTranslation Of(Agreement agreement) => new(agreement);

    /// <summary>A prohibition that states conduct only (re-identification, joins) is not decided per request, so it has no policy.</summary>
    public static bool IsDecidable(Prohibition prohibition) =>
        !(prohibition.Purposes.Count == 0 && prohibition.Jurisdictions.Count == 0 && prohibition.Sensitivities.Count == 0
            && prohibition.Actions.Count == 0 && (prohibition.Reidentification || prohibition.JoinWith.Count > 0));

    /// <summary>Writes <paramref name="request"/> as a Cedar request: principal, action, resource and context.</summary>
    public JsonObject Request(DecisionRequest request)
    {
        var context = new JsonObject
        {
            ["purpose"] = new JsonObject { ["__entity"] = Uid("Purpose", request.Purpose.Value) },
            ["jurisdiction"] = request.Jurisdiction.Value,
            ["time"] = Milliseconds(request.Time.UtcTicks),
        };
        if (request.Subprocessor is { } subprocessor)
        {
            context["subprocessor"] = subprocessor.Value;
        }

        if (request.Role is { } role)
        {
            context["role"] = AgreementEnumText.ToText(role);
        }

        var party = _agreement.Parties.FirstOrDefault(p => p.Id == request.Recipient);
        return new JsonObject
        {
            ["principal"] = Uid(party is null || party.Roles.Contains(PartyRole.Recipient) ? "Recipient" : "Party", request.Recipient.Value),
            ["action"] = Uid("Action", AgreementEnumText.ToText(request.Action)),
            ["resource"] = Uid("Dataset", request.Dataset.Value),
            ["context"] = context,
        };
    }

    // Spec: Cedar's `in` on strings does not exist, and containsAll/containsAny compare exactly; so a set of jurisdictions
    // is written closed: every code that is `in` it by Concordat's rule (members of listed groups, and groups whose
    // members are all covered). A prohibition's list is closed the other way: every code that overlaps it.
    private static SortedSet<string> Within(IEnumerable<string> listed)
    {
        var closed = new SortedSet<string>(listed, StringComparer.Ordinal);
        foreach (var group in JurisdictionGroups.Groups.Where(closed.Contains).ToArray())
        {
            closed.UnionWith(JurisdictionGroups.Members(group));
        }

        closed.UnionWith(JurisdictionGroups.Groups.Where(g => JurisdictionGroups.Members(g).All(closed.Contains)).ToArray());
        return closed;
    }

    private static SortedSet<string> Overlapping(IEnumerable<string> listed)
    {
        var closed = Within(listed);
        closed.UnionWith(JurisdictionGroups.Groups.Where(g => JurisdictionGroups.Members(g).Any(closed.Contains)).ToArray());
        return closed;
    }

    private static long Milliseconds(long ticks) =>
        (ticks - s_unixEpoch.UtcTicks) % TimeSpan.TicksPerMillisecond == 0
            ? (ticks - s_unixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond
            : throw new NotSupportedException("an instant finer than a millisecond: JavaScript numbers hold milliseconds exactly, not ticks");

    private static JsonObject Uid(string type, string id) => new() { ["type"] = type, ["id"] = id };

    private static string Quote(string value) => JsonValue.Create(value).ToJsonString();

    private static string Entity(string type, string id) => $"{type}::{Quote(id)}";

    private static string StringSet(IEnumerable<string> values) => $"[{string.Join(", ", values.Select(Quote))}]";

    private static string Actions(IEnumerable<DataAction> actions) => $"[{string.Join(", ", actions.Select(a => Entity("Action", AgreementEnumText.ToText(a))))}]";

    private static string Conjunction(IEnumerable<string> terms)
    {
        var list = terms.ToList();
        return list.Count == 0 ? "true" : string.Join(" && ", list);
    }

    private static string RolePolicy()
    {
        var allowed = s_roleActions.Where(r => r.Actions.Length > 0).Select(r => $"(context.role == {Quote(r.Role)} && action in [{string.Join(", ", r.Actions.Select(a => Entity("Action", a)))}])");
        return $"@id({Quote(RolePolicyId)}) forbid (principal, action, resource) when {{ context has role && !({string.Join(" || ", allowed)}) }};";
    }

    private string GrantPolicy(Grant grant)
    {
        var window = grant.Window ?? _agreement.Effective;
        var principals = (grant.Recipient.Value is { Length: > 0 } ? [Entity("Recipient", grant.Recipient.Value)] : Array.Empty<string>()).Concat(grant.Groups.Select(g => Entity("Group", g.Value)));
        var resources = grant.Datasets.Select(d => Entity("Dataset", d.Value)).Concat(grant.Collections.Select(c => Entity("Collection", c.Value)));
        var terms = new List<string>
        {
            $"principal in [{string.Join(", ", principals)}]",
            $"resource in [{string.Join(", ", resources)}]",
            $"context.purpose in [{string.Join(", ", grant.Purposes.Select(p => Entity("Purpose", p.Value)))}]",
            $"context.time >= {Milliseconds(window.From.UtcTicks)}",
        };
        if (window.Until is { } until)
        {
            terms.Add($"context.time < {Milliseconds(until.UtcTicks)}");
        }

        if (grant.Jurisdictions.Count > 0)
        {
            terms.Add($"{StringSet(Within(grant.Jurisdictions.Select(j => j.Value)))}.contains(context.jurisdiction)");
        }

        terms.Add($"(!(context has subprocessor) || {StringSet(grant.Subprocessors.Select(s => s.Value))}.contains(context.subprocessor))");
        if (grant.When is { } when)
        {
            terms.Add(Translate(when).True);
        }

        return $"@id({Quote(grant.Id.Value)}) permit (principal is Recipient, action in {Actions(grant.Actions)}, resource is Dataset) when {{ {Conjunction(terms)} }};";
    }

    private string ProhibitionPolicy(Prohibition prohibition)
    {
        var terms = new List<string>();
        var principals = prohibition.Recipients.Select(r => Entity("Recipient", r.Value)).Concat(prohibition.Groups.Select(g => Entity("Group", g.Value))).ToList();
        if (principals.Count > 0)
        {
            terms.Add($"principal in [{string.Join(", ", principals)}]");
        }

        var resources = prohibition.Datasets.Select(d => Entity("Dataset", d.Value)).Concat(prohibition.Collections.Select(c => Entity("Collection", c.Value))).ToList();
        if (resources.Count > 0)
        {
            terms.Add($"resource in [{string.Join(", ", resources)}]");
        }

        if (prohibition.Sensitivities.Count > 0)
        {
            terms.Add($"[{string.Join(", ", prohibition.Sensitivities.Select(s => (int)s))}].contains(resource.sensitivity)");
        }

        if (prohibition.Purposes.Count > 0)
        {
            terms.Add($"context.purpose in [{string.Join(", ", prohibition.Purposes.Select(p => Entity("Purpose", p.Value)))}]");
        }

        if (prohibition.Jurisdictions.Count > 0)
        {
            terms.Add($"{StringSet(Overlapping(prohibition.Jurisdictions.Select(j => j.Value)))}.contains(context.jurisdiction)");
        }

        // Invariant: a prohibition applies when its `when` is true or unknown, so the policy forbids unless it is false.
        if (prohibition.When is { } when)
        {
            terms.Add($"!{Translate(when).False}");
        }

        var action = prohibition.Actions.Count > 0 ? $"action in {Actions(prohibition.Actions)}" : "action";
        var unless = prohibition.Unless is { } exempt ? $" unless {{ {Translate(exempt).True} }}" : string.Empty;
        return $"@id({Quote(prohibition.Id.Value)}) forbid (principal is Recipient, {action}, resource is Dataset) when {{ {Conjunction(terms)} }}{unless};";
    }

    /// <summary>Writes a condition as two Cedar expressions: when it is true, and when it is false (neither: unknown).</summary>
    private (string True, string False) Translate(Condition condition)
    {
        var problems = new StringBuilder();
        var bound = new ConditionChecker(_attributes, (code, message, _, _) => problems.Append(CultureInfo.InvariantCulture, $"{code}: {message}; ")).Check(condition.Syntax)
            ?? throw new NotSupportedException($"condition `{condition.Text}` does not check: {problems}");
        return Translate(bound);
    }

    // Spec: Kleene's logic in two-valued Cedar: each node gives "is true" and "is false"; an atom is neither when it
    // reads a missing attribute, which `has` tests first, so no policy ever errors.
    private (string True, string False) Translate(BoundCondition condition)
    {
        switch (condition)
        {
            case BoundConstant constant:
                return (constant.Value == Truth.True ? "true" : "false", constant.Value == Truth.False ? "true" : "false");
            case BoundNot not:
                var (t, f) = Translate(not.Operand);
                return (f, t);
            case BoundJunction junction:
                var operands = junction.Operands.Select(Translate).ToList();
                var trues = operands.Select(o => o.True);
                var falses = operands.Select(o => o.False);
                return junction.IsAnd ? (Join(trues, "&&"), Join(falses, "||")) : (Join(trues, "||"), Join(falses, "&&"));
            default:
                var (atom, reads) = Atom(condition);
                var present = reads.Where(IsOptional).Select(Has).Distinct(StringComparer.Ordinal).ToList();
                var guard = present.Count == 0 ? string.Empty : string.Join(" && ", present) + " && ";
                return ($"({guard}{atom})", $"({guard}!{atom})");
        }
    }

    private static string Join(IEnumerable<string> operands, string junction) => $"({string.Join($" {junction} ", operands)})";

    private static (string Atom, IReadOnlyList<AttributeRef> Reads) Atom(BoundCondition condition)
    {
        switch (condition)
        {
            case BoundTruth truth:
                return ($"({Scalar(truth.Operand)} == true)", Reads(truth.Operand));
            case BoundComparison comparison:
                return ($"({Scalar(comparison.Left)} {comparison.Operator} {Scalar(comparison.Right)})", [.. Reads(comparison.Left), .. Reads(comparison.Right)]);
            case BoundMembership membership:
                var member = membership.Set.Type.Member.Kind;
                var element = Scalar(membership.Element);
                var atom = member switch
                {
                    ValueKind.Purpose or ValueKind.Action => $"({element} in {Set(membership.Set, closed: false)})",
                    _ => $"{Set(membership.Set, closed: member == ValueKind.Jurisdiction)}.contains({element})",
                };
                return (atom, [.. Reads(membership.Element), .. Reads(membership.Set)]);
            case BoundQuantified quantified:
                var kind = quantified.Set.Type.Member.Kind;
                if (kind is ValueKind.Purpose or ValueKind.Action)
                {
                    throw new NotSupportedException("`all`/`any` over purposes or actions has no Cedar mapping here");
                }

                var target = Set(quantified.In, closed: kind == ValueKind.Jurisdiction);
                return ($"{target}.{(quantified.IsAll ? "containsAll" : "containsAny")}({Set(quantified.Set, closed: false)})", [.. Reads(quantified.Set), .. Reads(quantified.In)]);
            default:
                throw new NotSupportedException($"no Cedar mapping for {condition.GetType().Name}");
        }
    }

    private static IReadOnlyList<AttributeRef> Reads(BoundOperand operand) => operand is BoundAttribute attribute ? [attribute.Attribute] : [];

    private static bool IsOptional(AttributeRef attribute) => attribute.IsCustom || attribute.Path is
        "dataset.licence" or "dataset.source" or "dataset.originJurisdiction" or "dataset.residency"
        or "recipient.clearance" or "request.subprocessor" or "request.role";

    private static string Root(AttributeRef attribute) => attribute.Subject switch
    {
        AttributeSubject.Dataset => "resource",
        AttributeSubject.Recipient => "principal",
        _ => "context",
    };

    private static string Has(AttributeRef attribute) => $"{Root(attribute)} has {Quote(attribute.Name)}";

    private static string Path(AttributeRef attribute) =>
        attribute.Path == "request.action" ? "action" : $"{Root(attribute)}[{Quote(attribute.Name)}]";

    private static string Scalar(BoundOperand operand) => operand switch
    {
        BoundAttribute attribute => Path(attribute.Attribute),
        BoundLiteral literal => Literal(literal.Value.Text, literal.Value.Number, literal.Type),
        _ => throw new NotSupportedException($"no Cedar mapping for {operand.GetType().Name}"),
    };

    private static string Set(BoundOperand operand, bool closed) => operand switch
    {
        BoundAttribute { Attribute: var a } when closed => $"{Root(a)}[\"_closure\"][{Quote(a.Name)}]",
        BoundAttribute attribute => Path(attribute.Attribute),
        BoundLiteral literal when closed => StringSet(Within(literal.Value.Members!)),
        BoundLiteral literal => $"[{string.Join(", ", literal.Value.Members!.Select(m => Literal(m, null, literal.Type.Member)))}]",
        _ => throw new NotSupportedException($"no Cedar mapping for {operand.GetType().Name}"),
    };

    /// <summary>A value of <paramref name="type"/> as a Cedar literal; <paramref name="number"/> is the ordered value when known.</summary>
    private static string Literal(string text, long? number, global::Concordat.Agreements.Conditions.ValueType type) => type.Kind switch
    {
        ValueKind.Boolean => text,
        ValueKind.Integer => text,
        ValueKind.Instant => Milliseconds(number ?? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).UtcTicks).ToString(CultureInfo.InvariantCulture),
        ValueKind.Ordered => (number ?? type.Levels!.ToList().IndexOf(text)).ToString(CultureInfo.InvariantCulture),
        ValueKind.Action => Entity("Action", text),
        ValueKind.Purpose => Entity("Purpose", text),
        _ => Quote(text),
    };

    private JsonArray BuildEntities()
    {
        var entities = new JsonArray();
        foreach (var party in _agreement.Parties)
        {
            var groups = _agreement.Groups.Where(g => g.Parties.Contains(party.Id)).Select(g => g.Id.Value).ToList();
            var attributes = new JsonObject
            {
                ["id"] = party.Id.Value,
                ["jurisdiction"] = party.Jurisdiction.Value,
                ["certifications"] = Strings(party.Certifications),
                ["groups"] = Strings(groups),
            };
            if (party.Clearance is { } clearance)
            {
                attributes["clearance"] = (int)clearance;
            }

            AddCustom(attributes, party.Attributes, AttributeOwner.Party);
            var type = party.Roles.Contains(PartyRole.Recipient) ? "Recipient" : "Party";
            entities.Add(Entity(type, party.Id.Value, attributes, groups.Select(g => Uid("Group", g))));
        }

        foreach (var dataset in _agreement.Datasets)
        {
            var collections = _agreement.Collections.Where(c => c.Datasets.Contains(dataset.Id)).Select(c => c.Id.Value).ToList();
            var tags = dataset.Tags;
            var attributes = new JsonObject
            {
                ["id"] = dataset.Id.Value,
                ["owner"] = dataset.Owner.Value,
                ["sensitivity"] = (int)tags.Sensitivity,
                ["personalData"] = tags.PersonalData,
                ["collections"] = Strings(collections),
            };
            if (tags.Licence is { } licence)
            {
                attributes["licence"] = licence;
            }

            if (tags.Source is { } source)
            {
                attributes["source"] = source;
            }

            if (tags.OriginJurisdiction is { } origin)
            {
                attributes["originJurisdiction"] = origin.Value;
            }

            if (tags.Residency.Count > 0)
            {
                attributes["residency"] = Strings(tags.Residency.Select(j => j.Value));
                Closure(attributes)["residency"] = Strings(Within(tags.Residency.Select(j => j.Value)));
            }

            AddCustom(attributes, dataset.Attributes, AttributeOwner.Dataset);
            entities.Add(Entity("Dataset", dataset.Id.Value, attributes, collections.Select(c => Uid("Collection", c))));
        }

        foreach (var id in _agreement.Groups.Select(g => ("Group", g.Id.Value)).Concat(_agreement.Collections.Select(c => ("Collection", c.Id.Value))))
        {
            entities.Add(Entity(id.Item1, id.Item2, [], []));
        }

        foreach (var purpose in _agreement.Purposes)
        {
            entities.Add(Entity("Purpose", purpose.Id.Value, [], purpose.Broader is { } broader ? [Uid("Purpose", broader.Value)] : []));
        }

        return entities;
    }

    private void AddCustom(JsonObject attributes, IReadOnlyList<AttributeAssignment> assigned, AttributeOwner owner)
    {
        foreach (var value in assigned)
        {
            if (_agreement.Attributes.FirstOrDefault(d => d.Name == value.Name && d.Of == owner) is not { } declaration)
            {
                continue;
            }

            var type = ConditionAttributes.TypeOf(declaration);
            attributes[value.Name] = type.IsSet
                ? new JsonArray([.. value.Values.Distinct(StringComparer.Ordinal).Select(v => JsonValue.Create(v))])
                : JsonNode.Parse(Literal(value.Values[0], null, type));
            if (type.Kind == ValueKind.JurisdictionSet)
            {
                Closure(attributes)[value.Name] = Strings(Within(value.Values));
            }
        }
    }

    private static JsonObject Closure(JsonObject attributes)
    {
        if (attributes["_closure"] is not JsonObject closure)
        {
            closure = [];
            attributes["_closure"] = closure;
        }

        return closure;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Distinct(StringComparer.Ordinal).Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonObject Entity(string type, string id, JsonObject attributes, IEnumerable<JsonObject> parents) => new()
    {
        ["uid"] = Uid(type, id),
        ["attrs"] = attributes,
        ["parents"] = new JsonArray([.. parents]),
    };
}
