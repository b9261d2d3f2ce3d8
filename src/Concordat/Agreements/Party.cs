namespace Concordat.Agreements;

/// <summary>
/// A party to the agreement.
/// </summary>
/// <param name="Id">The party id.</param>
/// <param name="LegalName">The legal name.</param>
/// <param name="Jurisdiction">Where the party is established.</param>
/// <param name="Roles">The roles it plays.</param>
/// <param name="Keys">Its signing keys as C2SP note verifier keys (<c>name+hash+base64</c>); they vouch only for themselves, pinned keys decide.</param>
/// <param name="BreachContact">Whom to notify of a breach.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Party(PartyId Id, string LegalName, Jurisdiction Jurisdiction, IReadOnlyList<PartyRole> Roles, IReadOnlyList<string> Keys, string? BreachContact)
{
    /// <summary>Gets the party's clearance, on the scale of dataset sensitivity levels, when it has one.</summary>
    public SensitivityLevel? Clearance { get; init; }

    /// <summary>Gets the party's certifications (ids such as <c>iso-27001</c>).</summary>
    public IReadOnlyList<string> Certifications { get; init; } = [];

    /// <summary>Gets the party's data role for each purpose it has one for (<c>dataRoles</c>); none when it declares none.</summary>
    /// <value>None.</value>
    public IReadOnlyDictionary<PurposeId, DataRole> DataRoles { get; init; } = new Dictionary<PurposeId, DataRole>();

    /// <summary>Gets the values of declared custom party attributes.</summary>
    public IReadOnlyList<AttributeAssignment> Attributes { get; init; } = [];
}
