namespace Concordat.Agreements;

/// <summary>
/// Intellectual property a party brings to the engagement.
/// </summary>
/// <param name="Party">The owner.</param>
/// <param name="Description">What it is.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record BackgroundIp(PartyId Party, string Description);
