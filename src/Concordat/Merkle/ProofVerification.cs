namespace Concordat.Merkle;

/// <summary>
/// The outcome of verifying an inclusion or consistency proof: valid, or a failure with its reason.
/// </summary>
/// <remarks>
/// A proof that does not verify is an expected outcome, never an exception. Callers switch on <see cref="Failure"/>,
/// never on <see cref="Reason"/>'s text.
/// </remarks>
public sealed record ProofVerification
{
    private ProofVerification(ProofFailure failure, string reason)
    {
        Failure = failure;
        Reason = reason;
    }

    /// <summary>Gets the outcome of a proof that verified.</summary>
    public static ProofVerification Valid { get; } = new(ProofFailure.None, "the proof holds");

    /// <summary>Gets a value indicating whether the proof verified.</summary>
    public bool IsValid => Failure == ProofFailure.None;

    /// <summary>Gets why the proof failed, or <see cref="ProofFailure.None"/>.</summary>
    public ProofFailure Failure { get; }

    /// <summary>Gets one line saying why, for people: lowercase, no final period.</summary>
    public string Reason { get; }

    /// <summary>Gets, for <see cref="ProofFailure.RootMismatch"/>, the size of the tree whose root did not match.</summary>
    public long? TreeSize { get; private init; }

    /// <summary>Gets, for <see cref="ProofFailure.RootMismatch"/>, the root the caller expected.</summary>
    public MerkleHash? Expected { get; private init; }

    /// <summary>Gets, for <see cref="ProofFailure.RootMismatch"/>, the root calculated from the proof.</summary>
    public MerkleHash? Calculated { get; private init; }

    /// <summary>Gets, for <see cref="ProofFailure.WrongProofSize"/>, how many hashes the proof should have.</summary>
    public int? ExpectedProofSize { get; private init; }

    /// <summary>Gets, for <see cref="ProofFailure.WrongProofSize"/>, how many hashes it has.</summary>
    public int? ActualProofSize { get; private init; }

    internal static ProofVerification IndexOutOfRange(string reason) => new(ProofFailure.IndexOutOfRange, reason);

    internal static ProofVerification SizesReversed(long size1, long size2) =>
        new(ProofFailure.SizesReversed, $"the older tree size `{size1}` is larger than the newer tree size `{size2}`");

    internal static ProofVerification EmptyOlderTree(long size2) =>
        new(ProofFailure.EmptyOlderTree, $"a consistency proof from the empty tree to size {size2} proves nothing: give an older tree size of at least 1");

    internal static ProofVerification WrongProofSize(int expected, int actual) =>
        new(ProofFailure.WrongProofSize, $"the proof has {actual} hashes but these sizes call for {expected}")
        {
            ExpectedProofSize = expected,
            ActualProofSize = actual,
        };

    internal static ProofVerification RootMismatch(long treeSize, MerkleHash expected, MerkleHash calculated) =>
        new(ProofFailure.RootMismatch, $"root mismatch for tree size {treeSize}: expected `{expected}`, calculated `{calculated}`")
        {
            TreeSize = treeSize,
            Expected = expected,
            Calculated = calculated,
        };
}
