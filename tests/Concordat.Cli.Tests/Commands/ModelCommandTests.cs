using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Data.Attestations;
using Concordat.Data.Egress;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// <c>concordat model register</c>: every input checked before anything is signed (purpose, window, retention,
/// licences), the model's attestation signed with inputs, use and attributions, and models chaining.
/// </summary>
public sealed class ModelCommandTests : IDisposable
{
    // golang.org/x/mod/sumdb/note tests: the PeterNeumann key pair (the gateway here) and the EnochRoot verifier key.
    private const string GatewayVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string GatewaySignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string At = "2026-03-01T10:00:00Z";

    private static readonly string s_hospital = Sample("hospital-research");
    private static readonly string s_foundation = Sample("foundation-evaluation");

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Register_EgressGrantedForResearch_SignsModelWithInputsUseAndAgreementAttribution()
    {
        var input = Egress("research", s_hospital);
        var output = Path.Combine(_folder, "model.intoto.json");

        var result = await RegisterAsync(input, "model-training", s_hospital, output, "--licence", "Apache-2.0", "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var verified = Attestation.Verify(File.ReadAllBytes(output), [DsseVerifierKey.FromNoteKey(Trainer.VerifierKey)], AttestationPredicateTypes.Model);
        Assert.True(verified.IsVerified, verified.Error?.ToString());
        var predicate = verified.Statement!.Predicate;
        Assert.Equal("research", predicate["use"]!.GetValue<string>());
        Assert.Equal("model-training", predicate["purpose"]!.GetValue<string>());
        Assert.Equal(AttestationPredicateTypes.Egress, predicate["inputs"]![0]!["predicateType"]!.GetValue<string>());
        Assert.Equal("hospital-research", predicate["agreements"]![0]!["id"]!.GetValue<string>());
        var attribution = Assert.Single(predicate["attributions"]!.AsArray());
        Assert.Equal("Data provided by St. Aurelia University Hospital, Department of Cardiology", attribution!["text"]!.GetValue<string>());
        Assert.Equal(["model.bin"], verified.Statement.Subjects.Select(s => s.Name));
        Assert.Equal("foreground", predicate["ip"]!["category"]!.GetValue<string>());
        Assert.Contains(predicate["ip"]!["owners"]!.AsArray(), o => o!.GetValue<string>() == "st-aurelia");
        Assert.Contains(predicate["ip"]!["owners"]!.AsArray(), o => o!.GetValue<string>() == "northwind-research");
    }

    [Fact]
    public async Task Register_ForegroundUnderAgreementWithoutIpTerms_RefusedWithPrv5120()
    {
        var input = DatasetVersion(s_foundation, "CC-BY-4.0");
        var output = Path.Combine(_folder, "model.intoto.json");

        var result = await RegisterAsync(input, "evaluation", s_foundation, output, "--licence", "CC-BY-4.0");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("PRV5120", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Register_ThirdPartyWithoutOwner_ExitsInvalidWithCli1741()
    {
        var result = await RegisterAsync(Egress("research", s_hospital), "model-training", s_hospital, Path.Combine(_folder, "model.intoto.json"), "--licence", "Apache-2.0", "--ip", "third-party");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1741", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_InputGrantedForEvaluationOnly_RefusedNamingInputAndClause()
    {
        var input = Egress("evaluation", s_hospital);
        var output = Path.Combine(_folder, "model.intoto.json");

        var result = await RegisterAsync(input, "model-training", s_hospital, output, "--licence", "Apache-2.0");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("PRV5011", result.Error, StringComparison.Ordinal);
        Assert.Contains("input `egress.json` was obtained for purpose `evaluation` under agreement `hospital-research` (clause `cohort-statistics`), which does not cover `model-training`", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Register_ShareAlikeInputUnderAnotherLicence_RefusedNamingTheLicence()
    {
        var input = DatasetVersion(s_foundation, "CC-BY-SA-4.0");
        var output = Path.Combine(_folder, "model.intoto.json");

        var result = await RegisterAsync(input, "evaluation", s_foundation, output, "--licence", "Apache-2.0");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("PRV5111", result.Error, StringComparison.Ordinal);
        Assert.Contains("`CC-BY-SA-4.0`", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_AttributionInputWithNoCreditText_WarnsAndTheAttestationStillCarriesTheCredit()
    {
        var agreement = Path.Combine(_folder, "no-attribution.yaml");
        File.WriteAllText(agreement, File.ReadAllText(s_hospital).Replace("  attribution: Data provided by St. Aurelia University Hospital, Department of Cardiology\n", string.Empty, StringComparison.Ordinal));
        var input = DatasetVersion(agreement, "CC-BY-4.0");
        var output = Path.Combine(_folder, "model.intoto.json");

        var result = await RegisterAsync(input, "research", agreement, output, "--licence", "Apache-2.0");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("PRV5115", result.Error, StringComparison.Ordinal);
        Assert.Contains("`CC-BY-4.0`", result.Error, StringComparison.Ordinal);
        var predicate = JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(File.ReadAllBytes(output))!["payload"]!.GetValue<string>()))!["predicate"]!;
        var credit = Assert.Single(predicate["attributions"]!.AsArray())!;
        Assert.Equal("version.json", credit["input"]!.GetValue<string>());
        Assert.Null(credit["text"]);
    }

    [Fact]
    public async Task Register_TamperedInput_ExitsVerificationFailed()
    {
        var input = Egress("research", s_hospital);
        var envelope = JsonNode.Parse(File.ReadAllBytes(input))!;
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(envelope["payload"]!.GetValue<string>())).Replace("\"research\"", "\"model-training\"", StringComparison.Ordinal);
        envelope["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload));
        File.WriteAllText(input, envelope.ToJsonString());

        var result = await RegisterAsync(input, "model-training", s_hospital, Path.Combine(_folder, "model.intoto.json"), "--licence", "Apache-2.0");

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("PRV5004", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_RegisteredModelWithLimitation_WritesTheHuggingFaceCard()
    {
        var model = Path.Combine(_folder, "model.intoto.json");
        Assert.Equal(ExitCodes.Ok, (await RegisterAsync(Egress("research", s_hospital), "model-training", s_hospital, model, "--licence", "Apache-2.0", "--limitation", "Trained on one hospital's cardiology records only.")).ExitCode);
        var card = Path.Combine(_folder, "README.md");

        var workspace = Workspace(Trainer.VerifierKey);

        var written = await CliRunner.RunAsync("model", "card", model, "--agreement", s_hospital, "--out", card, "--workspace", workspace);
        var printed = await CliRunner.RunAsync("model", "card", model, "--workspace", workspace);
        var egress = await CliRunner.RunAsync("model", "card", Egress("research", s_hospital), "--workspace", workspace);

        Assert.True(written.ExitCode == ExitCodes.Ok, written.Error);
        var text = File.ReadAllText(card);
        Assert.StartsWith("---\nlicense: \"apache-2.0\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\n# triage-v1\n", text, StringComparison.Ordinal);
        Assert.Contains("datasets:\n  - \"cardiology-records\"\n", text, StringComparison.Ordinal);
        Assert.Contains("- egress/v1 attestation (`https://concordat.example/attestations/egress/v1`, dataset `cardiology-records` version 1):\n", text, StringComparison.Ordinal);
        Assert.Contains("Agreement `hospital-research` version 1:", text, StringComparison.Ordinal);
        Assert.EndsWith("## Limitations\n\n- Trained on one hospital's cardiology records only.\n", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, printed.ExitCode);
        Assert.StartsWith("---\n", printed.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, egress.ExitCode);
        Assert.Contains("CLI1742", egress.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_SignedByAKeyTheWorkspaceDoesNotPin_ExitsVerificationFailedWritingNothing()
    {
        var model = Path.Combine(_folder, "model.intoto.json");
        Assert.Equal(ExitCodes.Ok, (await RegisterAsync(Egress("research", s_hospital), "model-training", s_hospital, model, "--licence", "Apache-2.0")).ExitCode);
        var card = Path.Combine(_folder, "README.md");

        var result = await CliRunner.RunAsync("model", "card", model, "--out", card, "--workspace", Workspace(NewKey("someone-else").VerifierKey));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error ", StringComparison.Ordinal));
        Assert.Contains($"`{model}`", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(card));
    }

    [Fact]
    public async Task Card_ChangedPayload_ExitsVerificationFailed()
    {
        var model = Path.Combine(_folder, "model.intoto.json");
        Assert.Equal(ExitCodes.Ok, (await RegisterAsync(Egress("research", s_hospital), "model-training", s_hospital, model, "--licence", "Apache-2.0")).ExitCode);
        var envelope = JsonNode.Parse(File.ReadAllBytes(model))!;
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(envelope["payload"]!.GetValue<string>())).Replace("\"Apache-2.0\"", "\"MIT\"", StringComparison.Ordinal);
        envelope["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload));
        File.WriteAllText(model, envelope.ToJsonString());

        var result = await CliRunner.RunAsync("model", "card", model, "--workspace", Workspace(Trainer.VerifierKey));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Register_ModelTrainedOnModel_ChainsByCheckpointDigest()
    {
        var first = Path.Combine(_folder, "first.intoto.json");
        Assert.Equal(ExitCodes.Ok, (await RegisterAsync(Egress("research", s_hospital), "model-training", s_hospital, first, "--licence", "Apache-2.0")).ExitCode);
        var second = Path.Combine(_folder, "second.intoto.json");

        var result = await CliRunner.RunAsync("model", "register", "--name", "triage-v2", "--checkpoint", Checkpoint(), "--config", Config(), "--input", first,
            "--trust", Trainer.VerifierKey.ToString()!, "--trust", GatewayVerifierKey, "--agreement", s_hospital, "--trainer", "northwind-research", "--purpose", "model-training",
            "--licence", "Apache-2.0", "--key", TrainerKeyFile(), "--at", At, "--out", second);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var statement = Attestation.Verify(File.ReadAllBytes(second), [DsseVerifierKey.FromNoteKey(Trainer.VerifierKey)]).Statement!;
        Assert.Equal(AttestationPredicateTypes.Model, statement.Predicate["inputs"]![0]!["predicateType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_AtNotAnInstant_ExitsInvalidWithCli1740()
    {
        var result = await CliRunner.RunAsync("model", "register", "--name", "m", "--checkpoint", Checkpoint(), "--config", Config(), "--input", Egress("research", s_hospital),
            "--trust", GatewayVerifierKey, "--trainer", "t", "--purpose", "research", "--key", TrainerKeyFile(), "--at", "yesterday");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1740", result.Error, StringComparison.Ordinal);
    }

    // A workspace folder that pins one signer's key in its trusted-keys, as `concordat trust` writes it.
    private string Workspace(NoteVerifierKey pinned)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, $"ws-{pinned.Name}")).FullName;
        File.WriteAllText(Path.Combine(folder, "trusted-keys"), $"{pinned.Name} {pinned}\n");
        return folder;
    }

    internal static NoteSignerKey Trainer { get; } = NewKey("northwind-research");

    internal static NoteSignerKey Gateway { get; } = NoteKey.TryParseSignerKey(GatewaySignerKey, out var key, out _) ? key : throw new InvalidOperationException("the test key does not parse");

    /// <summary>An egress attestation of the gateway's, for the hospital's dataset under <paramref name="agreementPath"/>, obtained for <paramref name="purpose"/>.</summary>
    internal string Egress(string purpose, string agreementPath, string decisionId = "dec_000000000000000000000001")
    {
        var agreement = AgreementReader.Read(File.ReadAllText(agreementPath), agreementPath).Agreement!;
        var facts = new EgressFacts(decisionId, "northwind-research", agreement.Datasets[0].Id.Value, 1, AgreementDigest.Compute(agreement), purpose, [], "csv", DateTimeOffset.Parse("2026-02-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var receipt = new EgressReceipt(20, 1234, Sha256Digest.Compute(Encoding.UTF8.GetBytes("rows")), 0, 0, true);
        var path = Path.Combine(_folder, "egress.json");
        File.WriteAllBytes(path, Attestation.Sign(EgressStatement.Create(facts, receipt), Gateway).ToJson());
        return path;
    }

    private string DatasetVersion(string agreementPath, string licence)
    {
        var agreement = AgreementReader.Read(File.ReadAllText(agreementPath), agreementPath).Agreement!;
        var dataset = agreement.Datasets[0];
        var statement = new InTotoStatement(
            [AttestationSubject.FromSha256($"{dataset.Id.Value}@1/manifest.json", Sha256Digest.Compute(Encoding.UTF8.GetBytes("manifest")))],
            AttestationPredicateTypes.DatasetVersion,
            new JsonObject { ["dataset"] = dataset.Id.Value, ["version"] = 1, ["tags"] = new JsonObject { ["licence"] = licence } });
        var path = Path.Combine(_folder, "version.json");
        File.WriteAllBytes(path, Attestation.Sign(statement, Gateway).ToJson());
        return path;
    }

    /// <summary>Registers a model (named `triage-v1` unless <paramref name="more"/> names it) whose checkpoint is unique to its output file.</summary>
    internal Task<CliResult> RegisterAsync(string input, string purpose, string agreement, string output, params string[] more) =>
        CliRunner.RunAsync([
            "model", "register", .. more.Contains("--name") ? Array.Empty<string>() : ["--name", "triage-v1"], "--checkpoint", Checkpoint(output), "--config", Config(), "--input", input,
            "--trust", GatewayVerifierKey, "--agreement", agreement, "--trainer", "northwind-research", "--purpose", purpose, "--key", TrainerKeyFile(), "--at", At, "--out", output, .. more]);

    private string Checkpoint(string? output = null)
    {
        var path = Path.Combine(_folder, "model.bin");

        // Each model its own weights, so models chain by distinct checkpoint digests.
        File.WriteAllText(path, "weights of " + Path.GetFileName(output));
        return path;
    }

    private string Config()
    {
        var path = Path.Combine(_folder, "train.yaml");
        File.WriteAllText(path, "epochs: 3\n");
        return path;
    }

    private string TrainerKeyFile()
    {
        var path = Path.Combine(_folder, "trainer.key");
        File.WriteAllText(path, NoteKey.FormatSignerKey(Trainer.Name, Trainer.PrivateKey) + "\n");
        return path;
    }

    private static NoteSignerKey NewKey(string name)
    {
        var key = Ed25519PrivateKey.FromSeed(SHA256Seed(name));
        return new NoteSignerKey(name, NoteKey.ComputeKeyId(name, key.PublicKey), key);
    }

    private static byte[] SHA256Seed(string name) => System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name));

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", "agreements", name + ".yaml");
}
