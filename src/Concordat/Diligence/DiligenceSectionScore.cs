namespace Concordat.Diligence;

/// <summary>A section's score under the rubric.</summary>
/// <param name="Section">The section id.</param>
/// <param name="Score">The score, in percent of the section's weight, rounded down to a tenth.</param>
/// <param name="Minimum">The rubric's minimum for the section.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceSectionScore(string Section, double Score, int Minimum)
{
    /// <summary>Gets a value indicating whether the section reaches its minimum.</summary>
    public bool IsPassed => Score >= Minimum;
}
