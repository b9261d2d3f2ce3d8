namespace Concordat.Agreements.Signatures;

/// <summary>
/// What verification found for one required signer.
/// </summary>
/// <param name="Signer">The signer id.</param>
/// <param name="Kind">Party or approver.</param>
/// <param name="HasValidSignature">Whether a signature over this exact agreement verifies against a pinned key.</param>
/// <param name="Problem">Why not, when not: missing, invalid, no pinned key, another digest.</param>
public sealed record SignerCheck(SignerId Signer, SignerKind Kind, bool HasValidSignature, string? Problem);
