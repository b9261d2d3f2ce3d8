namespace Concordat.Witness;

/// <summary>
/// What a witness answers an <c>add-checkpoint</c> request; each maps to the HTTP status the spec names.
/// </summary>
// CAUTION: public format (the statuses of docs/formats/witness.md)
public enum WitnessOutcome
{
    /// <summary>Cosigned (200): the record is updated and durable.</summary>
    Cosigned,

    /// <summary>The body is malformed, or the old size is larger than the checkpoint's (400).</summary>
    Malformed,

    /// <summary>The checkpoint's origin is not a log the witness is configured for (404).</summary>
    UnknownLog,

    /// <summary>No signature verifies against a key the witness trusts for the origin (403).</summary>
    NotSigned,

    /// <summary>The old size is not the size the witness cosigned last (409, the latest size in the body).</summary>
    StaleOldSize,

    /// <summary>The consistency proof does not verify (422).</summary>
    ProofInvalid,

    /// <summary>A checkpoint of the cosigned size with another root (409): the log forked.</summary>
    Forked,
}
