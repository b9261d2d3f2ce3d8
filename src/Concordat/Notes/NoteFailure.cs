namespace Concordat.Notes;

/// <summary>
/// Why a signed note was not accepted.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI); see docs/errors.md
public enum NoteFailure
{
    /// <summary>The note was accepted.</summary>
    None,

    /// <summary>The note breaks the C2SP signed-note format.</summary>
    Malformed,

    /// <summary>No signature is by a known key.</summary>
    NoKnownSignature,

    /// <summary>A signature by a known key does not verify.</summary>
    InvalidSignature,
}
