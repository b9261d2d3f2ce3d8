namespace Concordat.Notes;

/// <summary>
/// The outcome of opening a signed note: its text and signatures when at least one known key verified it, or why not.
/// </summary>
/// <remarks>
/// Callers MUST NOT use <see cref="Note"/>'s text unless <see cref="IsVerified"/> is true. When the note is well formed
/// but unverified, <see cref="Note"/> is still set, for diagnostics only.
/// </remarks>
public sealed record NoteVerification
{
    /// <summary>Gets a value indicating whether a known key verified the note and no known key's signature failed.</summary>
    public bool IsVerified => Failure == NoteFailure.None;

    /// <summary>Gets why the note was not accepted, or <see cref="NoteFailure.None"/>.</summary>
    public NoteFailure Failure { get; private init; }

    /// <summary>Gets one line saying why, for people: lowercase, no final period.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets the parsed note, when it is well formed.</summary>
    public SignedNote? Note { get; private init; }

    /// <summary>Gets the signatures that known keys verified, in note order.</summary>
    public IReadOnlyList<NoteSignature> VerifiedSignatures { get; private init; } = [];

    /// <summary>Gets the signatures by unknown keys, ignored as the spec requires.</summary>
    public IReadOnlyList<NoteSignature> UnverifiedSignatures { get; private init; } = [];

    internal static NoteVerification Malformed(string reason) => new() { Failure = NoteFailure.Malformed, Reason = reason };

    internal static NoteVerification Verified(SignedNote note, IReadOnlyList<NoteSignature> verified, IReadOnlyList<NoteSignature> unverified) =>
        new() { Reason = "verified", Note = note, VerifiedSignatures = verified, UnverifiedSignatures = unverified };

    internal static NoteVerification NotVerified(NoteFailure failure, string reason, SignedNote note, IReadOnlyList<NoteSignature> unverified) =>
        new() { Failure = failure, Reason = reason, Note = note, UnverifiedSignatures = unverified };
}
