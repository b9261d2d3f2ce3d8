namespace Concordat.Diligence;

/// <summary>A party's answers scored by a questionnaire's rubric (docs/design/due-diligence.md).</summary>
/// <param name="Party">The party that answered.</param>
/// <param name="Questionnaire">The questionnaire's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Overall">The overall score, in percent of all weight, rounded down to a tenth.</param>
/// <param name="OverallMinimum">The rubric's overall minimum.</param>
/// <param name="Sections">Each section's score, in the questionnaire's order.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceScore(string Party, string Questionnaire, int Version, double Overall, int OverallMinimum, IReadOnlyList<DiligenceSectionScore> Sections)
{
    /// <summary>Gets a value indicating whether every section and the overall score reach their minimums.</summary>
    public bool IsPassed => Overall >= OverallMinimum && Sections.All(s => s.IsPassed);

    /// <summary>Scores <paramref name="answers"/> by the rubric of <paramref name="questionnaire"/>.</summary>
    /// <param name="questionnaire">The questionnaire.</param>
    /// <param name="answers">Answers read against it (<see cref="DiligenceAnswers.Read"/>), so every question has one.</param>
    /// <returns>The score.</returns>
    public static DiligenceScore Of(DiligenceQuestionnaire questionnaire, DiligenceAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(questionnaire);
        ArgumentNullException.ThrowIfNull(answers);
        var (earned, total) = (0.0, 0);
        var sections = new List<DiligenceSectionScore>();
        foreach (var section in questionnaire.Sections)
        {
            var sectionEarned = section.Questions.Sum(q => q.Weight * DiligenceAnswers.Scale[answers.Answers[q.Id]]);
            var sectionTotal = section.Questions.Sum(q => q.Weight);
            sections.Add(new DiligenceSectionScore(section.Id, Percent(sectionEarned, sectionTotal), section.Minimum));
            (earned, total) = (earned + sectionEarned, total + sectionTotal);
        }

        return new DiligenceScore(answers.Party, questionnaire.Id, questionnaire.Version, Percent(earned, total), questionnaire.OverallMinimum, sections);
    }

    // Rounded down, so a score never reaches a minimum it falls short of by a rounding.
    private static double Percent(double earned, int total) => Math.Floor(earned * 1000 / total) / 10;
}
