using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Licences;

/// <summary>
/// An artifact's IP classification under an agreement: its category, its owners, and what is wrong with it.
/// </summary>
/// <param name="Artifact">The artifact's name.</param>
/// <param name="Category">Background, foreground or third-party.</param>
/// <param name="Owners">The parties that own it (several when owned jointly); empty for third-party IP or when undetermined.</param>
/// <param name="ExternalOwner">The owner of third-party IP.</param>
/// <param name="Findings">The problems found.</param>
// CAUTION: public format (recorded in attestations); see docs/design/licences.md
public sealed record IpClassification(string Artifact, IpCategory Category, IReadOnlyList<PartyId> Owners, string? ExternalOwner, IReadOnlyList<Diagnostic> Findings);
