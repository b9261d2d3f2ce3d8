using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Diligence;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat diligence score|sign|verify</c>: a party's answers to a due-diligence questionnaire scored by its
/// rubric, signed by an assessor as a DSSE/in-toto <c>diligence/v1</c> record, and verified offline, optionally against
/// a requirement of age and score (docs/design/due-diligence.md); <c>upload|list</c>, which talk to the gateway, are in
/// <see cref="DiligenceGatewayCommands"/>.
/// </summary>
internal static class DiligenceCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("diligence", "Vendor due diligence: score answers by a questionnaire's rubric, sign the record, verify it, upload it to the gateway")
        {
            Score(stdout, stderr),
            Sign(stdout, stderr),
            Verify(stdout, stderr),
            DiligenceGatewayCommands.Upload(stdout, stderr),
            DiligenceGatewayCommands.List(stdout, stderr),
        };

    private static Argument<string> QuestionnaireArgument() => new("QUESTIONNAIRE") { Description = "The questionnaire (YAML), such as samples/diligence/questionnaire.yaml" };

    private static Argument<string> AnswersArgument() => new("ANSWERS") { Description = "The party's answers to it (YAML)" };

    private static Command Score(TextWriter stdout, TextWriter stderr)
    {
        var questionnaire = QuestionnaireArgument();
        var answers = AnswersArgument();
        var json = new Option<bool>("--json") { Description = "Write the score as JSON" };
        var command = new Command("score", "Score a party's answers by the questionnaire's rubric; exits 1 (CLI1984) when a minimum is not reached") { questionnaire, answers, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!TryScore(context, parse.GetValue(questionnaire)!, parse.GetValue(answers)!, out var score, out _, out var exit))
            {
                return exit;
            }

            Write(context, score, parse.GetValue(json));
            return score.IsPassed ? ExitCodes.Ok : context.Fail(CliErrorCodes.DiligenceNotPassed, $"`{score.Party}` does not reach {Shortfalls(score)}");
        });
        return command;
    }

    private static Command Sign(TextWriter stdout, TextWriter stderr)
    {
        var questionnaire = QuestionnaireArgument();
        var answers = AnswersArgument();
        var key = new Option<string>("--key") { Description = "The assessor's signing key file (`concordat key new`)", Required = true };
        var assessor = new Option<string>("--assessor") { Description = "Who assessed (a name or party id), as the record states it", Required = true };
        var at = new Option<string?>("--at") { Description = "When the assessment was made (RFC 3339, UTC); default: now" };
        var output = new Option<string?>("--out") { Description = "Write the envelope to this file instead of standard output" };
        var command = new Command("sign", "Score the answers and sign the record (DSSE envelope of an in-toto diligence/v1 statement naming both files)") { questionnaire, answers, key, assessor, at, output };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!CliInput.TryReadInstantOrNow(context, parse, at, out var when, out var atExit))
            {
                return atExit;
            }

            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signer, out var keyExit))
            {
                return keyExit;
            }

            if (!TryScore(context, parse.GetValue(questionnaire)!, parse.GetValue(answers)!, out var score, out var digests, out var exit))
            {
                return exit;
            }

            var record = new DiligenceRecord(score, parse.GetValue(assessor)!, when);
            var envelope = Attestation.Sign(record.Statement(digests.Questionnaire, digests.Answers), signer).ToJson();
            var outPath = parse.GetValue(output);
            if (!AttestationFiles.TryWriteEnvelope(context, envelope, outPath, out var writeExit))
            {
                return writeExit;
            }

            if (outPath is not null)
            {
                context.Out.WriteLine($"signed the due-diligence record of `{score.Party}` ({Number(score.Overall)}, {(score.IsPassed ? "passed" : "not passed")}) with key `{Attestation.KeyIdOf(signer.VerifierKey)}`: {outPath}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(TextWriter stdout, TextWriter stderr)
    {
        var record = new Argument<string>("RECORD") { Description = "The envelope `diligence sign` wrote" };
        var key = new Option<string[]>("--key") { Description = "The assessor's verifier key (name+hash+base64), inline or as a file; repeat for several", Required = true };
        var questionnaire = new Option<string?>("--questionnaire") { Description = "With --answers: the files the record was computed from; their digests and the score are checked again" };
        var answers = new Option<string?>("--answers") { Description = "With --questionnaire: the party's answers" };
        var maxAge = new Option<int?>("--max-age-days") { Description = "Require the record to be no older than this many days at --at" };
        var minScore = new Option<double?>("--min-score") { Description = "Require an overall score at least this (and every minimum reached)" };
        var at = new Option<string?>("--at") { Description = "Judge the age at this instant (RFC 3339, UTC); default: now" };
        var json = new Option<bool>("--json") { Description = "Write the record as JSON" };
        var command = new Command("verify", "Verify a due-diligence record: signature, statement, optionally its files and a requirement of age and score") { record, key, questionnaire, answers, maxAge, minScore, at, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!CliInput.TryReadInstantOrNow(context, parse, at, out var now, out var atExit))
            {
                return atExit;
            }

            if (!KeyFiles.TryLoadDsseKeys(context, parse.GetValue(key)!, out var trusted, out var keyExit))
            {
                return keyExit;
            }

            if (!CliInput.TryReadAll(context, parse.GetValue(record), out var envelope))
            {
                return ExitCodes.Error;
            }

            var verified = Attestation.Verify(envelope, trusted, AttestationPredicateTypes.Diligence);
            if (verified.Error is { } invalid)
            {
                context.WriteDiagnostics([invalid]);
                return invalid.Code == AttestationErrorCodes.EnvelopeMalformed.Code ? ExitCodes.Invalid : ExitCodes.VerificationFailed;
            }

            if (!DiligenceRecord.TryRead(verified.Statement!, out var read, out var malformed))
            {
                context.WriteDiagnostics([malformed]);
                return ExitCodes.Invalid;
            }

            if ((parse.GetValue(questionnaire), parse.GetValue(answers)) is (string q, string a))
            {
                if (!TryScore(context, q, a, out var again, out var digests, out var exit))
                {
                    return exit;
                }

                if (Attestation.CheckSubjects(verified.Statement!, [AttestationSubject.FromSha256(DiligenceRecord.QuestionnaireSubject, digests.Questionnaire), AttestationSubject.FromSha256(DiligenceRecord.AnswersSubject, digests.Answers)]) is { } mismatch)
                {
                    return context.Fail(CliErrorCodes.DiligenceRecordMismatch, $"the record was not computed from these files: {mismatch.Message}");
                }

                if (again.Overall != read.Score.Overall || !again.Sections.SequenceEqual(read.Score.Sections) || again.Party != read.Score.Party)
                {
                    return context.Fail(CliErrorCodes.DiligenceRecordMismatch, $"the record states {Number(read.Score.Overall)} for `{read.Score.Party}`; the rubric gives {Number(again.Overall)} for `{again.Party}`");
                }
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { keyId = verified.KeyId, read.Assessor, read.AssessedAt, score = read.Score, passed = read.Score.IsPassed }, s_json));
            }
            else
            {
                context.Out.WriteLine($"verified: `{read.Score.Party}` scored {Number(read.Score.Overall)} on `{read.Score.Questionnaire}` version {read.Score.Version} ({(read.Score.IsPassed ? "passed" : "not passed")}), assessed by `{read.Assessor}` at {Rfc3339.Format(read.AssessedAt)}, signed by `{verified.KeyId}`");
            }

            var unmet = new List<string>();
            if (parse.GetValue(maxAge) is { } days && now - read.AssessedAt > TimeSpan.FromDays(days))
            {
                unmet.Add($"assessed {Rfc3339.Format(read.AssessedAt)}, more than {days} day(s) before {Rfc3339.Format(now)}");
            }

            if (parse.GetValue(minScore) is { } least && read.Score.Overall < least)
            {
                unmet.Add($"overall {Number(read.Score.Overall)} is below {Number(least)}");
            }

            if ((parse.GetValue(maxAge) is not null || parse.GetValue(minScore) is not null) && !read.Score.IsPassed)
            {
                unmet.Add($"it does not reach {Shortfalls(read.Score)}");
            }

            return unmet.Count == 0 ? ExitCodes.Ok : context.Fail(CliErrorCodes.DiligenceRequirementUnmet, $"the record of `{read.Score.Party}` does not meet the requirement: {string.Join("; ", unmet)}");
        });
        return command;
    }

    private static bool TryScore(CliContext context, string questionnairePath, string answersPath, out DiligenceScore score, out (Sha256Digest Questionnaire, Sha256Digest Answers) digests, out int exit)
    {
        (score, digests, exit) = (null!, default, ExitCodes.Ok);
        if (!CliInput.TryReadAll(context, questionnairePath, out var questionnaireBytes) || !CliInput.TryReadAll(context, answersPath, out var answersBytes))
        {
            exit = ExitCodes.Error;
            return false;
        }

        if (DiligenceQuestionnaire.Read(Encoding.UTF8.GetString(questionnaireBytes), questionnairePath, out var problems) is not { } questionnaire)
        {
            context.WriteDiagnostics(problems);
            exit = ExitCodes.Invalid;
            return false;
        }

        if (DiligenceAnswers.Read(Encoding.UTF8.GetString(answersBytes), answersPath, questionnaire, out problems) is not { } answers)
        {
            context.WriteDiagnostics(problems);
            exit = ExitCodes.Invalid;
            return false;
        }

        score = DiligenceScore.Of(questionnaire, answers);
        digests = (Sha256Digest.Compute(questionnaireBytes), Sha256Digest.Compute(answersBytes));
        return true;
    }

    private static void Write(CliContext context, DiligenceScore score, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { score.Party, score.Questionnaire, score.Version, score.Overall, score.OverallMinimum, passed = score.IsPassed, sections = score.Sections.Select(s => new { s.Section, s.Score, s.Minimum, passed = s.IsPassed }) }, s_json));
            return;
        }

        CliTable.Write(context, ["section", "score", "minimum", "result"],
            [.. score.Sections.Select(s => (IReadOnlyList<string>)[s.Section, Number(s.Score), s.Minimum.ToString(CultureInfo.InvariantCulture), s.IsPassed ? "passed" : "BELOW"]),
                ["overall", Number(score.Overall), score.OverallMinimum.ToString(CultureInfo.InvariantCulture), score.IsPassed ? "passed" : "NOT PASSED"]]);
    }

    private static string Shortfalls(DiligenceScore score) =>
        string.Join(", ", score.Sections.Where(s => !s.IsPassed).Select(s => $"`{s.Section}` minimum {s.Minimum} (scored {Number(s.Score)})")
            .Concat(score.Overall < score.OverallMinimum ? [$"the overall minimum {score.OverallMinimum} (scored {Number(score.Overall)})"] : []));

    private static string Number(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
