namespace Concordat.Agreements;

/// <summary>
/// How long received data may be kept.
/// </summary>
/// <param name="DaysAfterEgress">Days the recipient may keep data after it leaves the gateway.</param>
/// <param name="DeletionAttestationDays">Days within which the recipient attests deletion.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record RetentionTerms(int DaysAfterEgress, int? DeletionAttestationDays);
