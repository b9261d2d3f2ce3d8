namespace Concordat.Diligence;

/// <summary>Why a due-diligence requirement of an agreement is not met (docs/design/due-diligence.md#gating-activation).</summary>
// CAUTION: persisted/public format (GW6911's `diligence[].missing`, by DiligenceShortfall.Name); see docs/api.md
public enum DiligenceShortfallKind
{
    /// <summary><c>no-record</c>: no record is held for the party.</summary>
    NoRecord,

    /// <summary><c>assessor-not-named</c>: no record held for the party is signed by an assessor key the requirement names.</summary>
    AssessorNotNamed,

    /// <summary><c>too-old</c>: the record was assessed more than the requirement's <c>maxAgeDays</c> ago.</summary>
    TooOld,

    /// <summary><c>score-too-low</c>: the record's overall score is below the requirement's <c>minScore</c>.</summary>
    ScoreTooLow,

    /// <summary><c>minimum-not-reached</c>: the record does not reach every minimum of its questionnaire.</summary>
    MinimumNotReached,
}
