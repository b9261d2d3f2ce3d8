namespace Concordat.Agreements;

/// <summary>
/// Intellectual property terms.
/// </summary>
/// <param name="Background">Background IP per party.</param>
/// <param name="Foreground">Who owns foreground IP.</param>
/// <param name="ForegroundOwner">The owner when foreground IP belongs to one named party.</param>
/// <param name="ThirdPartyLicences">Third-party licences allowed, as SPDX expressions.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record IpTerms(IReadOnlyList<BackgroundIp> Background, ForegroundOwnership? Foreground, PartyId? ForegroundOwner, IReadOnlyList<string> ThirdPartyLicences);
