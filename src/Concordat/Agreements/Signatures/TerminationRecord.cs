using Concordat.Core;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// A recorded act of termination: from <paramref name="EffectiveAt"/> on, the agreement is no longer in force.
/// It counts only when at least one party signed it with a pinned key.
/// </summary>
/// <param name="Agreement">The agreement id.</param>
/// <param name="Version">The agreement version.</param>
/// <param name="Digest">The agreement digest.</param>
/// <param name="EffectiveAt">When the termination takes effect.</param>
/// <param name="Signatures">Signatures over <see cref="SignatureMessages.ForTermination"/>.</param>
// CAUTION: persisted/public format; see docs/formats/signatures.md#termination
public sealed record TerminationRecord(AgreementId Agreement, int Version, Sha256Digest Digest, DateTimeOffset EffectiveAt, IReadOnlyList<TerminationSignature> Signatures);
