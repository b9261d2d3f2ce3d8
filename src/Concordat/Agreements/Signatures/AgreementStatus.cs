using Concordat.Core;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Where an agreement stands at an instant, and why.
/// </summary>
/// <param name="State">The state.</param>
/// <param name="Id">The agreement id.</param>
/// <param name="Version">The agreement version.</param>
/// <param name="Digest">The agreement digest.</param>
/// <param name="At">The instant the status is for.</param>
/// <param name="Missing">Required signers without a valid signature.</param>
/// <param name="TerminatedAt">When a valid termination takes or took effect, when there is one.</param>
/// <param name="SupersededBy">The newer in-force version, when superseded.</param>
/// <param name="Verification">The signature check this status rests on.</param>
/// <param name="Diagnostics">Problems with signatures or the termination record.</param>
public sealed record AgreementStatus(
    AgreementState State,
    AgreementId Id,
    int Version,
    Sha256Digest Digest,
    DateTimeOffset At,
    IReadOnlyList<SignerId> Missing,
    DateTimeOffset? TerminatedAt,
    int? SupersededBy,
    AgreementVerification Verification,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether the agreement may be enforced.</summary>
    public bool IsInForce => State == AgreementState.InForce;
}
