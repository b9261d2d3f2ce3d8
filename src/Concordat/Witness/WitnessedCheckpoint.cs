using Concordat.Merkle;

namespace Concordat.Witness;

/// <summary>
/// What a witness keeps per log: the latest checkpoint it cosigned, and the signed note it came in (evidence should
/// the log later show another tree).
/// </summary>
/// <param name="Origin">The log's origin.</param>
/// <param name="TreeSize">The cosigned tree size.</param>
/// <param name="RootHash">The cosigned root hash.</param>
/// <param name="SignedNote">The signed checkpoint note as submitted.</param>
// CAUTION: persisted format (the witness's state); see docs/formats/witness.md
public sealed record WitnessedCheckpoint(string Origin, long TreeSize, MerkleHash RootHash, string SignedNote);
