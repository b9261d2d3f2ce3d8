namespace Concordat.Diligence;

/// <summary>One way a due-diligence requirement is not met, in words for a person and as a kind for a program.</summary>
/// <param name="Kind">What is missing.</param>
/// <param name="Message">The shortfall in words: lowercase, no final period, values in backticks.</param>
public sealed record DiligenceShortfall(DiligenceShortfallKind Kind, string Message)
{
    /// <summary>Gets the kind's name, as GW6911 problems write it (<c>no-record</c>, <c>assessor-not-named</c>, <c>too-old</c>, <c>score-too-low</c>, <c>minimum-not-reached</c>).</summary>
    public string Name => Kind switch
    {
        DiligenceShortfallKind.NoRecord => "no-record",
        DiligenceShortfallKind.AssessorNotNamed => "assessor-not-named",
        DiligenceShortfallKind.TooOld => "too-old",
        DiligenceShortfallKind.ScoreTooLow => "score-too-low",
        DiligenceShortfallKind.MinimumNotReached => "minimum-not-reached",
        _ => throw new InvalidOperationException($"shortfall kind {Kind} has no name"),
    };
}
