using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The outcome of writing or verifying a log export: what it carries, or the first problem.
/// </summary>
/// <param name="Origin">The log's origin, when known.</param>
/// <param name="TreeSize">The number of entries carried: the tree size of the latest signed checkpoint.</param>
/// <param name="RootHash">The root hash of that checkpoint, when known.</param>
/// <param name="Checkpoints">How many signed checkpoints the export carries (or were checked).</param>
/// <param name="IsHistorySigned">Whether the export carries a signed record of the checkpoint history (and it matched).</param>
/// <param name="Problem">The first problem, or <see langword="null"/>.</param>
public sealed record LogExportResult(string? Origin, long TreeSize, MerkleHash? RootHash, long Checkpoints, bool IsHistorySigned, LogProblem? Problem)
{
    /// <summary>Gets a value indicating whether the export was written, or verified, without a problem.</summary>
    public bool IsValid => Problem is null;

    internal static LogExportResult Refused(LogProblem problem) => new(null, 0, null, 0, false, problem);
}
