namespace Concordat.Agreements;

/// <summary>
/// A named set of the agreement's parties, usable wherever clauses name recipients.
/// </summary>
/// <param name="Id">The group id.</param>
/// <param name="Parties">The parties it holds.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record GroupDefinition(GroupId Id, IReadOnlyList<PartyId> Parties);
