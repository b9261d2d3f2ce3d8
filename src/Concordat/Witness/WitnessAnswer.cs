namespace Concordat.Witness;

/// <summary>
/// A witness's answer to one <c>add-checkpoint</c> request.
/// </summary>
/// <param name="Outcome">What was decided.</param>
/// <param name="Message">Why, for a refusal; empty when cosigned.</param>
/// <param name="LatestSize">The size of the latest cosigned checkpoint, for <see cref="WitnessOutcome.StaleOldSize"/>
/// and <see cref="WitnessOutcome.Forked"/>.</param>
/// <param name="Cosignatures">The cosignature lines, each ending in a newline, when cosigned.</param>
public sealed record WitnessAnswer(WitnessOutcome Outcome, string Message, long? LatestSize = null, string? Cosignatures = null)
{
    /// <summary>Gets a value indicating whether the checkpoint was cosigned.</summary>
    public bool IsCosigned => Outcome == WitnessOutcome.Cosigned;
}
