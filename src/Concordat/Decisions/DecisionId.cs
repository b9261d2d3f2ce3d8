namespace Concordat.Decisions;

/// <summary>
/// The id of one decision event: <c>dec_</c> and 24 lowercase hex digits (96 random bits) that the host making the
/// decision (the gateway) draws for it, unique per decision even when two decisions say the same thing.
/// </summary>
/// <remarks>
/// Tokens, receipts, log entries, problems and the <c>Concordat-Decision-Id</c> header name a decision by this id;
/// the record of the decision names its content by <see cref="DecisionDigest"/>. Identical requests decided at the
/// same instant share a digest but never an id, so whatever must tell two decisions apart MUST key on the id.
/// </remarks>
/// <param name="Value">The id, such as <c>dec_3f2a…</c>.</param>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
public readonly record struct DecisionId(string Value)
{
    /// <summary>The prefix of every decision id.</summary>
    public const string Prefix = "dec_";

    /// <summary>The number of random bytes a new id carries.</summary>
    public const int RandomByteCount = 12;

    /// <summary>Makes the id of a new decision event from random bytes.</summary>
    /// <remarks>
    /// The library has no randomness of its own: callers MUST pass <see cref="RandomByteCount"/> bytes from a
    /// cryptographically secure generator, so that ids do not collide and cannot be guessed.
    /// </remarks>
    /// <param name="random">The random bytes.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException"><paramref name="random"/> does not hold <see cref="RandomByteCount"/> bytes.</exception>
    public static DecisionId FromRandom(ReadOnlySpan<byte> random)
    {
        if (random.Length != RandomByteCount)
        {
            throw new ArgumentException($"a decision id needs {RandomByteCount} random bytes, not {random.Length}", nameof(random));
        }

        return new DecisionId(Prefix + Convert.ToHexStringLower(random));
    }

    /// <summary>Returns the id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
