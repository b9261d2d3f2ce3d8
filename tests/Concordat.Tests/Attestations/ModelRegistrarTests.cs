using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;

namespace Concordat.Tests.Attestations;

/// <summary>
/// A model registration checks every input before anything is recorded: data granted for evaluation only cannot
/// feed training, the agreement must be in force and the retention unexpired; a model's statement names its inputs
/// so models trained from models chain.
/// </summary>
public sealed class ModelRegistrarTests
{
    private static readonly Agreement s_agreement = AgreementReader.Read(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "foundation-evaluation.yaml")), "foundation-evaluation.yaml").Agreement!;

    private static readonly DateTimeOffset s_egressAt = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Check_InputGrantedForEvaluationOnly_RefusesTrainingNamingTheInputAndPurpose()
    {
        var registration = Registration("training", Egress("evaluation"));

        var problems = ModelRegistrar.Check(registration, ModelRegistrar.NoLicenceCheck);

        var problem = Assert.Single(problems);
        Assert.Equal("PRV5011", problem.Code);
        Assert.Contains("`egress/dec_1.csv`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("purpose `evaluation`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("`training`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("(clause `evaluate-corpus`)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("clause `no-training` forbids `training` to `meridian-ai`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NarrowerPurposeOfAProhibitedOne_NamesTheProhibition()
    {
        var problem = Assert.Single(ModelRegistrar.Check(Registration("fine-tuning", Egress("evaluation")), ModelRegistrar.NoLicenceCheck));

        Assert.Equal("PRV5011", problem.Code);
        Assert.Contains("clause `no-training` forbids `fine-tuning`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InputGrantedForTraining_CoversTheNarrowerFineTuning()
    {
        Assert.Empty(ModelRegistrar.Check(Registration("fine-tuning", Egress("training")), ModelRegistrar.NoLicenceCheck));
        Assert.Equal("PRV5011", Assert.Single(ModelRegistrar.Check(Registration("training", Egress("fine-tuning")), ModelRegistrar.NoLicenceCheck)).Code);
    }

    [Fact]
    public void Check_AfterTheAgreementsWindow_IsRefused()
    {
        var registration = Registration("training", Egress("training")) with { At = new DateTimeOffset(2028, 6, 1, 0, 0, 0, TimeSpan.Zero) };

        Assert.Equal("PRV5012", Assert.Single(ModelRegistrar.Check(registration, ModelRegistrar.NoLicenceCheck)).Code);
    }

    [Fact]
    public void Check_AfterRetention_IsRefusedNamingTheClause()
    {
        var agreement = s_agreement with { Retention = new RetentionTerms(30, null) };
        var registration = Registration("training", Egress("training")) with
        {
            Agreements = [(agreement, AgreementDigest.Compute(s_agreement))],
            At = s_egressAt.AddDays(31),
        };

        var problem = Assert.Single(ModelRegistrar.Check(registration, ModelRegistrar.NoLicenceCheck));

        Assert.Equal("PRV5013", problem.Code);
        Assert.Contains("retention.daysAfterEgress: 30", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AgreementNotGivenOrGenericInput_IsNotUsable()
    {
        var generic = new ModelInput("notes.intoto.json", AttestationTests.Statement());
        var registration = Registration("training", Egress("training")) with { Agreements = [] };

        Assert.Equal("PRV5010", Assert.Single(ModelRegistrar.Check(registration, ModelRegistrar.NoLicenceCheck)).Code);
        Assert.Equal("PRV5010", Assert.Single(ModelRegistrar.Check(Registration("training", generic), ModelRegistrar.NoLicenceCheck)).Code);
    }

    [Fact]
    public void Check_LicenceSeam_SeesEveryInput()
    {
        var seen = new RecordingLicenceCheck();

        ModelRegistrar.Check(Registration("training", Egress("training"), Egress("training")), seen);

        Assert.Equal(2, seen.Inputs.Count);
    }

    [Fact]
    public void ModelStatement_SignedAndVerified_ChainsAsAnInputOfTheNextModel()
    {
        var first = Registration("training", Egress("training"));
        var envelope = Attestation.Sign(ModelRegistrar.CreateStatement(first), AttestationTests.Key);
        var verified = Attestation.Verify(envelope.ToJson(), [DsseVerifierKey.FromNoteKey(AttestationTests.Key.VerifierKey)], AttestationPredicateTypes.Model);
        Assert.True(verified.IsVerified, verified.Error?.ToString());

        var second = Registration("training", new ModelInput("base.intoto.json", verified.Statement)) with { Model = "derived" };
        var statement = ModelRegistrar.CreateStatement(second);

        Assert.Empty(ModelRegistrar.Check(second, ModelRegistrar.NoLicenceCheck));
        Assert.Equal(AttestationPredicateTypes.Model, statement.Predicate["inputs"]![0]!["predicateType"]!.GetValue<string>());
        Assert.Equal("model.safetensors", statement.Predicate["inputs"]![0]!["subjects"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("training", statement.Predicate["purpose"]!.GetValue<string>());
    }

    private static ModelRegistration Registration(string purpose, params ModelInput[] inputs) => new(
        "base",
        [AttestationSubject.FromSha256("model.safetensors", Sha256Digest.Compute("weights"u8))],
        Sha256Digest.Compute("config"u8),
        inputs,
        "meridian-ai",
        new PurposeId(purpose),
        [(s_agreement, AgreementDigest.Compute(s_agreement))],
        null,
        s_egressAt.AddDays(10));

    private static ModelInput Egress(string purpose)
    {
        var predicate = new JsonObject
        {
            ["decisionId"] = "dec_1",
            ["recipient"] = "meridian-ai",
            ["agreementDigest"] = AgreementDigest.Compute(s_agreement).ToString(),
            ["purpose"] = purpose,
            ["at"] = Rfc3339.Format(s_egressAt),
        };
        return new ModelInput("egress/dec_1.csv", new InTotoStatement([AttestationSubject.FromSha256("egress/dec_1.csv", Sha256Digest.Compute("rows"u8))], AttestationPredicateTypes.Egress, predicate));
    }

    private sealed class RecordingLicenceCheck : IModelLicenceCheck
    {
        public List<ModelInput> Inputs { get; } = [];

        public IReadOnlyList<Diagnostic> Check(ModelRegistration registration, ModelInput input, string? inputLicence)
        {
            Inputs.Add(input);
            return [];
        }
    }
}
