using Concordat.Core;
using Concordat.Licences;

namespace Concordat.Attestations;

/// <summary>
/// A model's IP as its attestation records it (predicate member <c>ip</c>): its category, the owners each agreement's
/// IP terms give it, and what is wrong with them.
/// </summary>
/// <param name="Category">Background, foreground or third-party.</param>
/// <param name="Owners">Every owner the agreements give (parties; sorted, each once); the trainer when no agreement applies to background or foreground IP; empty for third-party IP.</param>
/// <param name="ExternalOwner">The owner of third-party IP.</param>
/// <param name="Terms">Per agreement given: its id, version and the owners its terms give.</param>
/// <param name="Findings">The problems found (PRV512x, PRV5114, PRV5116); an error refuses the registration.</param>
// CAUTION: public format (recorded in model attestations); see docs/formats/attestations.md#modelv1
public sealed record ModelIp(IpCategory Category, IReadOnlyList<string> Owners, string? ExternalOwner, IReadOnlyList<ModelIpTerms> Terms, IReadOnlyList<Diagnostic> Findings);
