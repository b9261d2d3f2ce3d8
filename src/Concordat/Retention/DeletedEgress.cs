using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Retention;

/// <summary>One egress a recipient attests it deleted: the decision it followed and the digest of the bytes it received.</summary>
/// <param name="DecisionId">The decision the egress followed.</param>
/// <param name="Sha256">The SHA-256 digest of the bytes sent, as the egress entry and its receipt state it.</param>
// CAUTION: persisted/public format; see docs/formats/attestations.md (deletion/v1)
public sealed record DeletedEgress(DecisionId DecisionId, Sha256Digest Sha256);
