using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;

namespace Concordat.Diligence;

/// <summary>
/// A due-diligence record: an assessor's signed statement (predicate type <see cref="AttestationPredicateTypes.Diligence"/>)
/// of a party's score, whose subjects are the questionnaire and the answers it was computed from.
/// </summary>
/// <param name="Score">The score the assessor states.</param>
/// <param name="Assessor">Who assessed.</param>
/// <param name="AssessedAt">When.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceRecord(DiligenceScore Score, string Assessor, DateTimeOffset AssessedAt)
{
    /// <summary>The subject name of the questionnaire file.</summary>
    public const string QuestionnaireSubject = "questionnaire";

    /// <summary>The subject name of the answers file.</summary>
    public const string AnswersSubject = "answers";

    /// <summary>Writes the statement to sign.</summary>
    /// <param name="questionnaire">The SHA-256 of the questionnaire file's bytes.</param>
    /// <param name="answers">The SHA-256 of the answers file's bytes.</param>
    /// <returns>The statement.</returns>
    public InTotoStatement Statement(Sha256Digest questionnaire, Sha256Digest answers)
    {
        var sections = new JsonArray();
        foreach (var section in Score.Sections)
        {
            sections.Add(new JsonObject { ["section"] = section.Section, ["score"] = Text(section.Score), ["minimum"] = section.Minimum });
        }

        var predicate = new JsonObject
        {
            ["party"] = Score.Party,
            ["questionnaire"] = Score.Questionnaire,
            ["version"] = Score.Version,
            ["overall"] = Text(Score.Overall),
            ["overallMinimum"] = Score.OverallMinimum,
            ["sections"] = sections,
            ["passed"] = Score.IsPassed,
            ["assessor"] = Assessor,
            ["assessedAt"] = Rfc3339.Format(AssessedAt),
        };
        return new InTotoStatement([AttestationSubject.FromSha256(QuestionnaireSubject, questionnaire), AttestationSubject.FromSha256(AnswersSubject, answers)], AttestationPredicateTypes.Diligence, predicate);
    }

    /// <summary>Reads the record a verified statement states.</summary>
    /// <param name="statement">A statement whose envelope verified against the assessor's key.</param>
    /// <param name="record">The record, when well formed.</param>
    /// <param name="error">PRV5006 for another predicate type, AGR3553 for a malformed predicate.</param>
    /// <returns><see langword="true"/> when the statement is a due-diligence record.</returns>
    public static bool TryRead(InTotoStatement statement, [NotNullWhen(true)] out DiligenceRecord? record, [NotNullWhen(false)] out Diagnostic? error)
    {
        ArgumentNullException.ThrowIfNull(statement);
        record = null;
        if (statement.PredicateType != AttestationPredicateTypes.Diligence)
        {
            error = AttestationErrorCodes.PredicateTypeUnexpected.Error($"the predicate type is `{statement.PredicateType}`, not `{AttestationPredicateTypes.Diligence}`");
            return false;
        }

        var p = statement.Predicate;
        try
        {
            var sections = p["sections"]!.AsArray().Select(s => new DiligenceSectionScore(s!["section"]!.GetValue<string>(), Number(s["score"]), s["minimum"]!.GetValue<int>())).ToList();
            var score = new DiligenceScore(p["party"]!.GetValue<string>(), p["questionnaire"]!.GetValue<string>(), p["version"]!.GetValue<int>(), Number(p["overall"]), p["overallMinimum"]!.GetValue<int>(), sections);
            if (!Rfc3339.TryParseUtc(p["assessedAt"]!.GetValue<string>(), out var at, out var atError))
            {
                error = AgreementDiagnosticCodes.DiligenceRecordMalformed.Error($"`assessedAt`: {atError}");
                return false;
            }

            record = new DiligenceRecord(score, p["assessor"]!.GetValue<string>(), at);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException)
        {
            error = AgreementDiagnosticCodes.DiligenceRecordMalformed.Error("the predicate lacks a member `diligence/v1` requires, or a member has the wrong type");
            return false;
        }
    }

    /// <summary>Says how this record falls short of an agreement's requirement at an instant (docs/design/due-diligence.md).</summary>
    /// <param name="requirement">The requirement; the record's party and signing key are the caller's to have matched.</param>
    /// <param name="at">The instant the record's age is judged at.</param>
    /// <returns>Each shortfall (too old, overall below the least score, a minimum of the questionnaire not reached); empty when the record meets the requirement.</returns>
    public IReadOnlyList<DiligenceShortfall> Shortfalls(DiligenceRequirement requirement, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        var shortfalls = new List<DiligenceShortfall>();
        if (at > ExpiresAt(requirement))
        {
            shortfalls.Add(new(DiligenceShortfallKind.TooOld, $"assessed {Rfc3339.Format(AssessedAt)}, more than {requirement.MaxAgeDays} day(s) before {Rfc3339.Format(at)}"));
        }

        if (Score.Overall < requirement.MinScore)
        {
            shortfalls.Add(new(DiligenceShortfallKind.ScoreTooLow, $"overall {Text(Score.Overall)} is below {requirement.MinScore}"));
        }

        if (!Score.IsPassed)
        {
            shortfalls.Add(new(DiligenceShortfallKind.MinimumNotReached, "it does not reach every minimum of its questionnaire"));
        }

        return shortfalls;
    }

    /// <summary>The instant the record grows older than a requirement allows.</summary>
    /// <param name="requirement">The requirement.</param>
    /// <returns><c>assessedAt</c> plus the requirement's most days.</returns>
    public DateTimeOffset ExpiresAt(DiligenceRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        return AssessedAt.AddDays(requirement.MaxAgeDays);
    }

    // Scores are written as decimal text with one fraction digit, so canonical JSON never meets a binary fraction.
    private static string Text(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);

    private static double Number(JsonNode? node) => double.Parse(node!.GetValue<string>(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
