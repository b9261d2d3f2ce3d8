namespace Concordat.Compliance;

/// <summary>What the caller found in the transparency log, for the items the log satisfies.</summary>
/// <param name="IsLogVerified">Whether the log exists and verifies (every hash recomputed, every checkpoint consistent).</param>
/// <param name="TreeSize">The verified tree size; 0 when there is no log.</param>
/// <param name="IsCheckpointSigned">Whether the latest checkpoint is signed by the log key.</param>
/// <param name="Cosignatures">How many witness cosignatures on the latest checkpoint verified with the keys given.</param>
/// <param name="Problem">Why the log does not verify, or is absent; <see langword="null"/> when it verifies.</param>
public sealed record ComplianceLogFacts(bool IsLogVerified, long TreeSize, bool IsCheckpointSigned, int Cosignatures, string? Problem)
{
    /// <summary>Gets the facts of a workspace with no log.</summary>
    public static ComplianceLogFacts NoLog { get; } = new(false, 0, false, 0, "the workspace holds no log");
}
