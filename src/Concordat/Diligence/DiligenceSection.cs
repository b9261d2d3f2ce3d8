namespace Concordat.Diligence;

/// <summary>One section of a due-diligence questionnaire, with the rubric's minimum for it.</summary>
/// <param name="Id">The section id (such as <c>security-posture</c>).</param>
/// <param name="Title">The section's title.</param>
/// <param name="Minimum">The least score, in percent of the section's weight, a party must reach in it.</param>
/// <param name="Questions">The questions, at least one.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceSection(string Id, string Title, int Minimum, IReadOnlyList<DiligenceQuestion> Questions);
