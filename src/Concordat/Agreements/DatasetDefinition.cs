namespace Concordat.Agreements;

/// <summary>
/// A dataset the agreement covers.
/// </summary>
/// <param name="Id">The dataset id.</param>
/// <param name="Owner">The party that provides it.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Fields">Its fields.</param>
/// <param name="ConsentField">The field that carries each row's consent basis (the purposes it consents to), when any.</param>
/// <param name="ResidencyField">The field that carries each row's residency jurisdiction, when any.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record DatasetDefinition(DatasetId Id, PartyId Owner, DatasetTags Tags, IReadOnlyList<FieldDefinition> Fields, FieldName? ConsentField, FieldName? ResidencyField)
{
    /// <summary>Gets the values of declared custom dataset attributes.</summary>
    public IReadOnlyList<AttributeAssignment> Attributes { get; init; } = [];

    /// <summary>
    /// Gets the field that identifies the entity a row is about (a patient, a customer), when the dataset names it: the
    /// key aggregate queries count distinct entities, bound contributions and join by. When none is named, the first
    /// field classified <c>direct-identifier</c> is the entity key.
    /// </summary>
    public FieldName? EntityKey { get; init; }

    /// <summary>Gets the entity key: <see cref="EntityKey"/>, or the first field classified <c>direct-identifier</c>; null when neither.</summary>
    public FieldName? ResolvedEntityKey => EntityKey ?? Fields.FirstOrDefault(f => f.Classification == FieldClassification.DirectIdentifier)?.Name;
}
