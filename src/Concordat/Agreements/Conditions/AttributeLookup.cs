namespace Concordat.Agreements.Conditions;

/// <summary>
/// Where the values of dataset and recipient attributes come from: the one place the index and the validator ask.
/// </summary>
/// <remarks>
/// Security: today every value comes from the signed agreement (<see cref="Decisions.AttributeSource.Agreement"/>):
/// the dataset's tags and attributes, the party's clearance, certifications and attributes, and the collections and
/// groups that name them. This class is the seam where later signed sources plug in (dataset-version attestations,
/// which MAY narrow a dataset's tags and MUST NOT widen them; due-diligence records for parties); each value then
/// carries its own source, which decisions name. A value nobody supplies is missing, and a condition on a missing
/// value is unknown: it never permits.
/// </remarks>
internal sealed class AttributeLookup
{
    private readonly Dictionary<string, AttributeDeclaration> _declarations;
    private readonly ILookup<DatasetId, string> _collections;
    private readonly ILookup<PartyId, string> _groups;

    public AttributeLookup(Agreement agreement)
    {
        _declarations = agreement.Attributes.GroupBy(d => $"{d.Of}.{d.Name}").ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _collections = agreement.Collections.SelectMany(c => c.Datasets.Select(d => (Dataset: d, c.Id.Value))).ToLookup(x => x.Dataset, x => x.Value);
        _groups = agreement.Groups.SelectMany(g => g.Parties.Select(p => (Party: p, g.Id.Value))).ToLookup(x => x.Party, x => x.Value);
    }

    /// <summary>Gets the source of every value this lookup gives.</summary>
    public static Decisions.AttributeSource Source => Decisions.AttributeSource.Agreement;

    /// <summary>The value of a dataset attribute, or null when the dataset has none.</summary>
    public ConditionValue? Dataset(DatasetDefinition dataset, AttributeRef attribute)
    {
        var tags = dataset.Tags;
        return attribute.Name switch
        {
            _ when attribute.IsCustom => Custom(dataset.Attributes, AttributeOwner.Dataset, attribute),
            "id" => new ConditionValue(dataset.Id.Value),
            "owner" => new ConditionValue(dataset.Owner.Value),
            "sensitivity" => new ConditionValue(AgreementEnumText.ToText(tags.Sensitivity), (int)tags.Sensitivity),
            "personalData" => ConditionValue.Of(tags.PersonalData),
            "licence" => tags.Licence is { } licence ? new ConditionValue(licence) : null,
            "source" => tags.Source is { } source ? new ConditionValue(source) : null,
            "originJurisdiction" => tags.OriginJurisdiction is { } origin ? new ConditionValue(origin.Value) : null,
            "residency" => tags.Residency.Count > 0 ? ConditionValue.Set(tags.Residency.Select(j => j.Value)) : null,
            "collections" => ConditionValue.Set(_collections[dataset.Id]),
            _ => null,
        };
    }

    /// <summary>The value of a recipient attribute, or null when the party has none.</summary>
    public ConditionValue? Recipient(Party party, AttributeRef attribute) => attribute.Name switch
    {
        _ when attribute.IsCustom => Custom(party.Attributes, AttributeOwner.Party, attribute),
        "id" => new ConditionValue(party.Id.Value),
        "jurisdiction" => new ConditionValue(party.Jurisdiction.Value),
        "clearance" => party.Clearance is { } clearance ? new ConditionValue(AgreementEnumText.ToText(clearance), (int)clearance) : null,
        "certifications" => ConditionValue.Set(party.Certifications),
        "groups" => ConditionValue.Set(_groups[party.Id]),
        _ => null,
    };

    private ConditionValue? Custom(IReadOnlyList<AttributeAssignment> assigned, AttributeOwner owner, AttributeRef attribute)
    {
        if (assigned.FirstOrDefault(a => a.Name == attribute.Name) is not { } assignment || !_declarations.ContainsKey($"{owner}.{attribute.Name}"))
        {
            return null;
        }

        if (attribute.Type.IsSet)
        {
            return ConditionValue.Set(assignment.Values);
        }

        return assignment.Values.Count == 1 && ConditionLiterals.TryRead(assignment.Values[0], attribute.Type, out var value, out _) ? value : null;
    }
}
