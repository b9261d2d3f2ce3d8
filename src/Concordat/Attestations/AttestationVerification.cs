using System.Diagnostics.CodeAnalysis;
using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>The result of verifying an attestation: the statement and the key that signed it, or one error.</summary>
/// <param name="Statement">The verified statement; <see langword="null"/> on error.</param>
/// <param name="KeyId">The key id of the signature that verified; <see langword="null"/> on error.</param>
/// <param name="Error">The one reason the envelope was refused; <see langword="null"/> when verified.</param>
public sealed record AttestationVerification(InTotoStatement? Statement, string? KeyId, Diagnostic? Error)
{
    /// <summary>Gets a value indicating whether the envelope verified.</summary>
    [MemberNotNullWhen(true, nameof(Statement), nameof(KeyId))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsVerified => Error is null;
}
