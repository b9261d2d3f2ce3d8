namespace Concordat.Merkle;

/// <summary>
/// Why a Merkle proof did not verify.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI); see docs/errors.md
public enum ProofFailure
{
    /// <summary>The proof verified.</summary>
    None,

    /// <summary>The leaf index is not inside the tree, or a size is negative or above the largest supported size.</summary>
    IndexOutOfRange,

    /// <summary>The older tree size is larger than the newer one.</summary>
    SizesReversed,

    /// <summary>The proof has more or fewer hashes than the sizes call for.</summary>
    WrongProofSize,

    /// <summary>The root calculated from the proof is not the expected root.</summary>
    RootMismatch,

    /// <summary>A consistency proof from the empty tree was given: it proves nothing, so it is refused.</summary>
    EmptyOlderTree,
}
