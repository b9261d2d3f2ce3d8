namespace Concordat.Agreements;

/// <summary>
/// A required approver whose signature the agreement needs, such as an ethics board or a DPO.
/// </summary>
/// <param name="Id">The approver id.</param>
/// <param name="Name">The approver's name or body.</param>
/// <param name="Party">The party the approver belongs to, when any.</param>
/// <param name="Keys">Its signing keys as C2SP note verifier keys.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Approver(ApproverId Id, string Name, PartyId? Party, IReadOnlyList<string> Keys);
