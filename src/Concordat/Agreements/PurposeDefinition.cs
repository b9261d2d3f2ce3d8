namespace Concordat.Agreements;

/// <summary>
/// A purpose in the agreement's vocabulary, possibly narrower than another.
/// </summary>
/// <param name="Id">The purpose id.</param>
/// <param name="Broader">The broader purpose that covers this one, when any (fine-tuning is a kind of training).</param>
/// <param name="Description">What the purpose means.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record PurposeDefinition(PurposeId Id, PurposeId? Broader, string? Description);
