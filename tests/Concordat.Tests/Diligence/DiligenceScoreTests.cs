using Concordat.Attestations;
using Concordat.Core;
using Concordat.Diligence;
using Concordat.Testing.Log;

namespace Concordat.Tests.Diligence;

public sealed class DiligenceScoreTests
{
    private static readonly string s_folder = Path.Combine(AppContext.BaseDirectory, "samples", "diligence");
    private static readonly string s_questionnaireText = File.ReadAllText(Path.Combine(s_folder, "questionnaire.yaml"));
    private static readonly string s_answersText = File.ReadAllText(Path.Combine(s_folder, "answers-cloudlab-compute.yaml"));

    [Fact]
    public void Read_SampleQuestionnaire_EightSectionsTheIssueNames()
    {
        var questionnaire = DiligenceQuestionnaire.Read(s_questionnaireText, "questionnaire.yaml", out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(
            ["security-posture", "network-segmentation", "logging-and-retention", "incident-response", "cryptographic-controls", "subprocessors", "financial-stability", "governance-maturity"],
            questionnaire!.Sections.Select(s => s.Id));
        Assert.Equal(("concordat-vendor-due-diligence", 1, 75), (questionnaire.Id, questionnaire.Version, questionnaire.OverallMinimum));
    }

    [Fact]
    public void Of_SampleAnswers_WeightedPercentRoundedDownAndPassed()
    {
        var score = Score(s_answersText);

        // Security posture: 3 + 2 + 0.5 × 2 + 1 = 7 of 8 = 87.5 %; governance: 2 + 0.5 × 2 + 1 = 4 of 5 = 80 %.
        Assert.Equal(87.5, score.Sections.Single(s => s.Section == "security-posture").Score);
        Assert.Equal(80, score.Sections.Single(s => s.Section == "governance-maturity").Score);
        Assert.Equal(66.6, score.Sections.Single(s => s.Section == "financial-stability").Score);
        Assert.True(score.IsPassed);
        Assert.Equal("cloudlab-compute", score.Party);
    }

    [Fact]
    public void Of_OneSectionBelowItsMinimum_NotPassedWhateverTheOverall()
    {
        var answers = s_answersText.Replace("cc-1: \"yes\"", "cc-1: \"no\"", StringComparison.Ordinal);

        var score = Score(answers);

        Assert.False(score.Sections.Single(s => s.Section == "cryptographic-controls").IsPassed);
        Assert.True(score.Overall >= score.OverallMinimum);
        Assert.False(score.IsPassed);
    }

    [Theory]
    [InlineData("minimum: 80", "minimum: 180", "`minimum` is not an integer from 0 to 100")]
    [InlineData("    title: Security posture\n", "    title: Security posture\n    weigth: 2\n", "unknown key `weigth`")]
    [InlineData("{ id: sp-2,", "{ id: sp-1,", "question `sp-1` is given twice")]
    [InlineData("overallMinimum: 75\n", "", "`overallMinimum` is missing")]
    public void Read_MalformedQuestionnaire_Agr3551WithSpan(string from, string to, string expected)
    {
        var text = s_questionnaireText.Replace(from, to, StringComparison.Ordinal);

        var questionnaire = DiligenceQuestionnaire.Read(text, "questionnaire.yaml", out var diagnostics);

        Assert.Null(questionnaire);
        var diagnostic = Assert.Single(diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal("AGR3551", diagnostic.Code);
        Assert.NotNull(diagnostic.Span);
    }

    [Fact]
    public void Read_NotYaml_OneAgr1001()
    {
        var questionnaire = DiligenceQuestionnaire.Read("sections: [", "questionnaire.yaml", out var diagnostics);

        Assert.Null(questionnaire);
        Assert.Equal("AGR1001", Assert.Single(diagnostics).Code);
    }

    [Theory]
    [InlineData("sp-3: partial", "sp-3: maybe", "the answer to `sp-3` is not `yes`, `partial` or `no`")]
    [InlineData("  sp-3: partial\n", "", "question `sp-3` is not answered")]
    [InlineData("  sp-3: partial\n", "  sp-3: partial\n  sp-9: \"yes\"\n", "`sp-9` is not a question")]
    [InlineData("version: 1", "version: 2", "not `concordat-vendor-due-diligence` version 1")]
    public void ReadAnswers_NotAnsweringTheQuestionnaire_Agr3552(string from, string to, string expected)
    {
        var questionnaire = DiligenceQuestionnaire.Read(s_questionnaireText, "questionnaire.yaml", out _)!;

        var answers = DiligenceAnswers.Read(s_answersText.Replace(from, to, StringComparison.Ordinal), "answers.yaml", questionnaire, out var diagnostics);

        Assert.Null(answers);
        Assert.Equal("AGR3552", Assert.Single(diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal)).Code);
    }

    [Fact]
    public void Record_SignedAndVerified_ReadsBackTheScore()
    {
        var score = Score(s_answersText);
        var record = new DiligenceRecord(score, "st-aurelia-security", new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var key = LogTestData.CreateKey("assessor", 5);
        var statement = record.Statement(Sha256Digest.Compute("q"u8), Sha256Digest.Compute("a"u8));

        var verified = Attestation.Verify(Attestation.Sign(statement, key).ToJson(), [DsseVerifierKey.FromNoteKey(key.VerifierKey)], AttestationPredicateTypes.Diligence);
        var read = DiligenceRecord.TryRead(verified.Statement!, out var back, out var error);

        Assert.True(read, error?.ToString());
        Assert.Equal(record.AssessedAt, back!.AssessedAt);
        Assert.Equal(score.Overall, back.Score.Overall);
        Assert.Equal(score.Sections, back.Score.Sections);
        Assert.Equal("87.5", verified.Statement!.Predicate["sections"]![0]!["score"]!.GetValue<string>());
    }

    private static DiligenceScore Score(string answersText)
    {
        var questionnaire = DiligenceQuestionnaire.Read(s_questionnaireText, "questionnaire.yaml", out _)!;
        var answers = DiligenceAnswers.Read(answersText, "answers.yaml", questionnaire, out var diagnostics);
        Assert.Empty(diagnostics);
        return DiligenceScore.Of(questionnaire, answers!);
    }
}
