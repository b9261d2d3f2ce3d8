using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Agreements;

/// <summary>An agreement version in force, with the digest its signatures sign and when a recorded termination ends it.</summary>
/// <param name="Agreement">The agreement as enforced: when terminated, its windows end at <paramref name="TerminatesAt"/>.</param>
/// <param name="Version">The version.</param>
/// <param name="Digest">The digest of the agreement as signed.</param>
/// <param name="TerminatesAt">When a recorded termination takes effect, when one is recorded.</param>
internal sealed record ActiveAgreement(Agreement Agreement, int Version, Sha256Digest Digest, DateTimeOffset? TerminatesAt = null);
