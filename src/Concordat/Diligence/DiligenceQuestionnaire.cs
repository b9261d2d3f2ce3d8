using Concordat.Agreements;
using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Diligence;

/// <summary>
/// A versioned vendor due-diligence questionnaire with its rubric (docs/formats/diligence.md): sections of weighted
/// questions, a minimum score per section and one overall.
/// </summary>
/// <param name="Id">The questionnaire's id.</param>
/// <param name="Version">Its version: a changed question or minimum is a new version.</param>
/// <param name="OverallMinimum">The least overall score, in percent of all weight.</param>
/// <param name="Sections">The sections, at least one.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceQuestionnaire(string Id, int Version, int OverallMinimum, IReadOnlyList<DiligenceSection> Sections)
{
    private static readonly string[] s_keys = ["questionnaire", "version", "overallMinimum", "sections"];
    private static readonly string[] s_sectionKeys = ["id", "title", "minimum", "questions"];
    private static readonly string[] s_questionKeys = ["id", "text", "weight"];

    /// <summary>Reads a questionnaire; every problem is reported at once (AGR1xxx for YAML, AGR3551 for the rest).</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file name diagnostics name.</param>
    /// <param name="diagnostics">Every problem found.</param>
    /// <returns>The questionnaire, or <see langword="null"/> when there is any error.</returns>
    public static DiligenceQuestionnaire? Read(string text, string file, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        if (YamlSyntaxReader.Read(text, file, problems) is not { } root || problems.Count > 0)
        {
            return null;
        }

        var reader = new DiligenceYaml(problems, AgreementDiagnosticCodes.QuestionnaireMalformed);
        if (reader.Mapping(root, "the questionnaire", s_keys) is not { } mapping)
        {
            return null;
        }

        var id = reader.Text(mapping, "questionnaire");
        var version = reader.Integer(mapping, "version", 1, int.MaxValue);
        var overall = reader.Integer(mapping, "overallMinimum", 0, 100);
        var sections = new List<DiligenceSection>();
        var sectionIds = new HashSet<string>(StringComparer.Ordinal);
        var questionIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in reader.Sequence(mapping, "sections"))
        {
            if (reader.Mapping(node, "a section", s_sectionKeys) is not { } section)
            {
                continue;
            }

            var sectionId = reader.Text(section, "id");
            if (sectionId is not null && !sectionIds.Add(sectionId))
            {
                reader.Report(section.Span, $"section `{sectionId}` is given twice");
            }

            var questions = new List<DiligenceQuestion>();
            foreach (var questionNode in reader.Sequence(section, "questions"))
            {
                if (reader.Mapping(questionNode, "a question", s_questionKeys) is not { } question)
                {
                    continue;
                }

                var questionId = reader.Text(question, "id");
                if (questionId is not null && !questionIds.Add(questionId))
                {
                    reader.Report(question.Span, $"question `{questionId}` is given twice");
                }

                if ((questionId, reader.Text(question, "text"), reader.Integer(question, "weight", 1, 100)) is (string qid, string qtext, int weight))
                {
                    questions.Add(new DiligenceQuestion(qid, qtext, weight));
                }
            }

            if ((sectionId, reader.Text(section, "title"), reader.Integer(section, "minimum", 0, 100)) is (string sid, string title, int minimum))
            {
                sections.Add(new DiligenceSection(sid, title, minimum, questions));
            }
        }

        return problems.Count == 0 && id is not null && version is { } v && overall is { } o ? new DiligenceQuestionnaire(id, v, o, sections) : null;
    }
}
