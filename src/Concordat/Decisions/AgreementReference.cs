using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// An agreement as a decision names it: its id, version and the digest of the exact text that was in force.
/// </summary>
/// <param name="Id">The agreement id.</param>
/// <param name="Version">The agreement version.</param>
/// <param name="Digest">The agreement digest.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public readonly record struct AgreementReference(AgreementId Id, int Version, Sha256Digest Digest);
