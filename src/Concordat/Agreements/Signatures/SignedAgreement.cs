namespace Concordat.Agreements.Signatures;

/// <summary>
/// An agreement with the signatures and the termination record found next to it.
/// </summary>
/// <param name="Agreement">The agreement.</param>
/// <param name="Signatures">Its signatures.</param>
/// <param name="Termination">Its termination record, when there is one.</param>
public sealed record SignedAgreement(Agreement Agreement, IReadOnlyList<AgreementSignature> Signatures, TerminationRecord? Termination = null);
