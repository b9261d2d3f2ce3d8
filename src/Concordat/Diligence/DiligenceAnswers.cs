using Concordat.Agreements;
using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Diligence;

/// <summary>
/// A party's answers to one questionnaire version: each question id answered <c>yes</c>, <c>partial</c> or <c>no</c>.
/// </summary>
/// <param name="Party">The party (or subprocessor) that answered.</param>
/// <param name="Questionnaire">The questionnaire's id.</param>
/// <param name="Version">The questionnaire version answered.</param>
/// <param name="Answers">The answer to each question, by question id.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceAnswers(string Party, string Questionnaire, int Version, IReadOnlyDictionary<string, string> Answers)
{
    /// <summary>The answers a question takes, with the share of its weight each earns.</summary>
    public static IReadOnlyDictionary<string, double> Scale { get; } = new Dictionary<string, double>(StringComparer.Ordinal) { ["yes"] = 1, ["partial"] = 0.5, ["no"] = 0 };

    private static readonly string[] s_keys = ["party", "questionnaire", "version", "answers"];

    /// <summary>Reads answers and checks them against <paramref name="questionnaire"/>: every question answered once, with a value of the scale, and nothing else (AGR3552).</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="file">The file name diagnostics name.</param>
    /// <param name="questionnaire">The questionnaire they answer.</param>
    /// <param name="diagnostics">Every problem found.</param>
    /// <returns>The answers, or <see langword="null"/> when there is any error.</returns>
    public static DiligenceAnswers? Read(string text, string file, DiligenceQuestionnaire questionnaire, out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(questionnaire);
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        if (YamlSyntaxReader.Read(text, file, problems) is not { } root || problems.Count > 0)
        {
            return null;
        }

        var reader = new DiligenceYaml(problems, AgreementDiagnosticCodes.AnswersMalformed);
        if (reader.Mapping(root, "the answers", s_keys) is not { } mapping)
        {
            return null;
        }

        var party = reader.Text(mapping, "party");
        var id = reader.Text(mapping, "questionnaire");
        var version = reader.Integer(mapping, "version", 1, int.MaxValue);
        if ((id is not null && id != questionnaire.Id) || (version is not null && version != questionnaire.Version))
        {
            reader.Report(mapping.Span, $"the answers are to `{id}` version {version}, not `{questionnaire.Id}` version {questionnaire.Version}");
        }

        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = questionnaire.Sections.SelectMany(s => s.Questions).Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        if (mapping.Find("answers")?.Value is not YamlMapping given)
        {
            reader.Report(mapping.Span, "`answers` is missing or not a mapping of question id to answer");
            return null;
        }

        foreach (var entry in given.Entries)
        {
            if (!known.Contains(entry.Key.Value))
            {
                reader.Report(entry.Key.Span, $"`{entry.Key.Value}` is not a question of `{questionnaire.Id}` version {questionnaire.Version}");
            }
            else if (entry.Value is not YamlScalar answer || !Scale.ContainsKey(answer.Value))
            {
                reader.Report(entry.Key.Span, $"the answer to `{entry.Key.Value}` is not `yes`, `partial` or `no`");
            }
            else
            {
                answers[entry.Key.Value] = answer.Value;
            }
        }

        foreach (var missing in known.Where(q => !given.Entries.Any(e => e.Key.Value == q)).Order(StringComparer.Ordinal))
        {
            reader.Report(given.Span, $"question `{missing}` is not answered");
        }

        return problems.Count == 0 ? new DiligenceAnswers(party!, id!, version!.Value, answers) : null;
    }
}
