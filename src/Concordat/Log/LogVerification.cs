using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The outcome of verifying a stored log from its entries up.
/// </summary>
/// <param name="TreeSize">The stored tree size.</param>
/// <param name="RootHash">The root hash recomputed from the entries, when they all verified.</param>
/// <param name="CheckpointsChecked">How many checkpoints of the history were checked.</param>
/// <param name="Problem">The first problem found, or <see langword="null"/> when the log verifies.</param>
public sealed record LogVerification(long TreeSize, MerkleHash? RootHash, long CheckpointsChecked, LogProblem? Problem)
{
    /// <summary>Gets a value indicating whether every check held.</summary>
    public bool IsValid => Problem is null;

    /// <summary>
    /// Gets a value indicating whether the checkpoint history has a signed record (docs/formats/checkpoint-history.md)
    /// and matched it; <see langword="false"/> for a log from before records, or when checkpoints were not checked.
    /// </summary>
    public bool IsHistorySigned { get; init; }
}
