using Concordat.Notes;

namespace Concordat.Log;

/// <summary>
/// The outcome of signing a checkpoint: the signed note, or why the log refused to sign.
/// </summary>
/// <param name="Checkpoint">The checkpoint signed, when signed.</param>
/// <param name="Note">The signed note text (C2SP signed-note), when signed.</param>
/// <param name="Problem">Why signing was refused: the stored tree is not consistent with the latest checkpoint.</param>
public sealed record CheckpointOutcome(Checkpoint? Checkpoint, string? Note, LogProblem? Problem)
{
    /// <summary>Gets a value indicating whether a checkpoint was signed.</summary>
    public bool IsSigned => Problem is null;
}
