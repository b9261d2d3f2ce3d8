using Concordat.Agreements;

namespace Concordat.Retention;

/// <summary>What a verified deletion attestation says: who deleted which egress, and when.</summary>
/// <param name="Recipient">The recipient that deleted the data.</param>
/// <param name="DeletedAt">When it says the deletion was complete.</param>
/// <param name="Egress">The egress deleted, in the statement's order, each once.</param>
public sealed record DeletionClaim(PartyId Recipient, DateTimeOffset DeletedAt, IReadOnlyList<DeletedEgress> Egress);
