namespace Concordat.Decisions;

/// <summary>
/// The digest of a decision record's content: 32 lowercase hex digits, the first 128 bits of the SHA-256 of the
/// record's canonical JSON without its <c>id</c> member (where it is written), so equal digests mean records that
/// say the same thing.
/// </summary>
/// <remarks>
/// A digest names content, not an event: two identical requests decided at the same instant have records with the
/// same digest. Whatever must name one decision event (a token, a receipt, a log entry, a problem) uses its
/// <see cref="DecisionId"/> instead.
/// </remarks>
/// <param name="Value">The 32 hex digits.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public readonly record struct DecisionDigest(string Value)
{
    /// <summary>Returns the digest.</summary>
    /// <returns>The 32 hex digits.</returns>
    public override string ToString() => Value;
}
