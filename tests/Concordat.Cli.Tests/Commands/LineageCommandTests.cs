using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// <c>concordat lineage impact|show</c> over a workspace's log and over its export: the same graph from both,
/// <c>--as-of</c> before and after an egress, models chained through their attestations.
/// </summary>
public sealed class LineageCommandTests : IDisposable
{
    private const string Dataset = "cardiology-records";
    private static readonly string s_hospital = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");

    private readonly string _root = Directory.CreateTempSubdirectory("concordat-lineage-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Workspace => Path.Combine(_root, "ws");

    [Fact]
    public async Task Impact_WorkspaceAndItsExport_GiveTheSameAnswer()
    {
        var (_, models) = await CreateLogAsync();
        var export = Path.Combine(_root, "log.export.ndjson");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", export)).ExitCode);

        var fromWorkspace = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--agreement", s_hospital, .. models, "--json"]);
        var fromExport = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--log", export, "--log-key", Path.Combine(Workspace, "log.pub"), "--agreement", s_hospital, .. models, "--json"]);

        Assert.True(fromWorkspace.ExitCode == 0, fromWorkspace.Error);
        Assert.True(fromExport.ExitCode == 0, fromExport.Error);
        Assert.Equal(fromWorkspace.Out, fromExport.Out);
        var impact = JsonNode.Parse(fromWorkspace.Out)!;
        Assert.Equal(["dec_000000000000000000000001", "dec_000000000000000000000002"], impact["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>()));
        Assert.Equal(["northwind-research"], impact["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["triage-v1", "triage-v2"], impact["models"]!.AsArray().Select(m => m!["model"]!["name"]!.GetValue<string>()));
        Assert.Equal("triage-v1", impact["models"]![1]!["via"]!.GetValue<string>());
        var terms = impact["agreements"]![0]!;
        Assert.Equal(72, terms["breachNotificationHours"]!.GetValue<int>());
        Assert.Contains("northwind-research: security@northwind.example", terms["contacts"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("hospital-research", terms["agreement"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Impact_ExportWithEntriesLongerThanTheReadBuffer_GivesTheWorkspacesAnswer()
    {
        var (_, models) = await CreateLogAsync();
        var digest = AgreementDigest.Compute(AgreementReader.Read(File.ReadAllText(s_hospital), s_hospital).Agreement!).ToString();
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync("gateway.token-issued/v1", new JsonObject { ["tokenId"] = $"tok_{i}", ["note"] = new string((char)('a' + i), 60_000) });
        }

        await EgressAsync("dec_000000000000000000000003", digest);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).ExitCode);
        var export = Path.Combine(_root, "log.export.ndjson");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", export)).ExitCode);

        var fromWorkspace = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, .. models, "--json"]);
        var fromExport = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--log", export, "--log-key", Path.Combine(Workspace, "log.pub"), .. models, "--json"]);

        Assert.True(fromExport.ExitCode == 0, fromExport.Error);
        Assert.Equal(fromWorkspace.Out, fromExport.Out);
        Assert.Equal(3, JsonNode.Parse(fromExport.Out)!["egress"]!.AsArray().Count);
    }

    [Fact]
    public async Task Impact_AsOfCheckpointsBeforeAndAfterTheSecondEgress_AnswersAsOfEach()
    {
        var (before, _) = await CreateLogAsync();
        var after = await CheckpointAsync("after.checkpoint");
        var export = Path.Combine(_root, "log.export.ndjson");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", export)).ExitCode);
        var logKey = Path.Combine(Workspace, "log.pub");

        var then = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--as-of", before, "--json");
        var now = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--as-of", after, "--json");
        var thenFromExport = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--log", export, "--log-key", logKey, "--as-of", before, "--json");
        var nowFromExport = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--log", export, "--log-key", logKey, "--as-of", after, "--json");

        Assert.True(then.ExitCode == 0, then.Error);
        Assert.True(now.ExitCode == 0, now.Error);
        Assert.Equal(["dec_000000000000000000000001"], JsonNode.Parse(then.Out)!["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>()));
        Assert.Equal(["dec_000000000000000000000001", "dec_000000000000000000000002"], JsonNode.Parse(now.Out)!["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>()));
        Assert.True(JsonNode.Parse(then.Out)!["treeSize"]!.GetValue<long>() < JsonNode.Parse(now.Out)!["treeSize"]!.GetValue<long>());
        Assert.Equal(then.Out, thenFromExport.Out);
        Assert.Equal(now.Out, nowFromExport.Out);
    }

    [Fact]
    public async Task Impact_AsOfCheckpointNotOfTheLogRead_ExitsVerificationFailedWithCli1753()
    {
        var (before, _) = await CreateLogAsync();
        await AppendAsync("gateway.token-issued/v1", new JsonObject { ["tokenId"] = "tok_2" });
        var longer = await CheckpointAsync("longer.checkpoint");
        var logKey = Path.Combine(_root, "first.pub");
        File.Copy(Path.Combine(Workspace, "log.pub"), logKey);

        // Another log, read with the first log's key: as a fork of it would be.
        Directory.Delete(Workspace, recursive: true);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", Workspace)).ExitCode);
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync("gateway.token-issued/v1", new JsonObject { ["tokenId"] = $"tok_{i}" });
        }

        var forked = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--log-key", logKey, "--as-of", before, "--json");
        var tooShort = await CliRunner.RunAsync("lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--log-key", logKey, "--as-of", longer, "--json");

        Assert.Equal(ExitCodes.VerificationFailed, forked.ExitCode);
        Assert.StartsWith("error CLI1753", forked.Error, StringComparison.Ordinal);
        Assert.Contains("hash to another root", forked.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, tooShort.ExitCode);
        Assert.Contains("but the log holds", tooShort.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_AsOfCheckpointBeforeAGatewayModelWasLogged_LeavesTheModelOut()
    {
        var (before, _) = await CreateLogAsync();
        var logged = await WriteGatewayModelAsync("gateway-model.intoto.json", "research");
        var unlogged = await WriteGatewayModelAsync("other.intoto.json", "model-training");
        var after = Path.Combine(_root, "after.checkpoint");
        await AppendAsync("gateway.attestation/v1", new JsonObject { ["kind"] = "model", ["model"] = "triage@1.0", ["envelope"] = Sha256Digest.Compute(await File.ReadAllBytesAsync(logged)).ToString() });
        await File.WriteAllTextAsync(after, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).Out);
        string[] options = ["--model", logged, "--model", unlogged, "--trust", ModelCommandTests.Trainer.VerifierKey.ToString()!, "--json"];

        var then = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--as-of", before, .. options]);
        var now = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, "--as-of", after, .. options]);

        Assert.True(then.ExitCode == 0, then.Error);
        Assert.True(now.ExitCode == 0, now.Error);
        Assert.Empty(JsonNode.Parse(then.Out)!["models"]!.AsArray());
        Assert.Equal(["triage@1.0"], JsonNode.Parse(now.Out)!["models"]!.AsArray().Select(m => m!["model"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Show_ModelTrainedOnModel_ShowsTheTreeDownToTheDatasetVersionWithItsIpOwners()
    {
        var (_, models) = await CreateLogAsync();

        var result = await CliRunner.RunAsync(["lineage", "show", "triage-v2", "--workspace", Workspace, .. models]);

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n');
        Assert.StartsWith("model triage-v2", lines[0], StringComparison.Ordinal);
        Assert.Contains("ip foreground, owners northwind-research, st-aurelia", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("└─ model triage-v1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("   └─ egress dec_000000000000000000000001 (recipient northwind-research, token tok_1, purpose research, agreement hospital-research v1", lines[2], StringComparison.Ordinal);
        Assert.StartsWith($"      └─ dataset-version {Dataset}@1", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_EgressDecisionId_StillAnAliasOfShow()
    {
        await CreateLogAsync();

        var result = await CliRunner.RunAsync(["lineage", "upstream", "dec_000000000000000000000002", "--workspace", Workspace, "--json"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var tree = JsonNode.Parse(result.Out)!;
        Assert.Equal("egress", tree["kind"]!.GetValue<string>());
        Assert.Equal($"{Dataset}@1", tree["children"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Impact_OpenLineage_OneRunEventPerEgressAndModelLinkedByName()
    {
        var (_, models) = await CreateLogAsync();

        var result = await CliRunner.RunAsync(["lineage", "impact", $"{Dataset}@1", "--workspace", Workspace, .. models, "--openlineage"]);

        Assert.True(result.ExitCode == 0, result.Error);
        var events = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["egress", "egress", "model-training/triage-v1", "model-training/triage-v2"], events.Select(e => e["job"]!["name"]!.GetValue<string>()));
        Assert.Equal("egress/dec_000000000000000000000001", events[2]["inputs"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("model/triage-v1", events[3]["inputs"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Impact_NotDatasetAtVersion_ExitsInvalidWithCli1750()
    {
        var result = await CliRunner.RunAsync("lineage", "impact", Dataset, "--workspace", Workspace);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1750", result.Error, StringComparison.Ordinal);
    }

    // A log as the gateway writes it: the agreement, an import, an egress (checkpoint), a second egress (checkpoint);
    // and two models: triage-v1 trained on the first egress, triage-v2 on triage-v1.
    private async Task<(string CheckpointBefore, string[] ModelOptions)> CreateLogAsync()
    {
        var agreement = AgreementReader.Read(File.ReadAllText(s_hospital), s_hospital).Agreement!;
        var digest = AgreementDigest.Compute(agreement).ToString();
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", Workspace)).ExitCode);
        await AppendAsync("gateway.agreement/v1", new JsonObject { ["agreement"] = "hospital-research", ["version"] = 1, ["digest"] = digest, ["state"] = "active", ["codes"] = new JsonArray() });
        await AppendAsync("gateway.dataset-import/v1", new JsonObject { ["dataset"] = Dataset, ["version"] = 1, ["manifest"] = "sha256:" + new string('4', 64), ["rows"] = 20 });
        await EgressAsync("dec_000000000000000000000001", digest);
        var before = Path.Combine(_root, "before.checkpoint");
        var checkpoint = await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace);
        Assert.Equal(0, checkpoint.ExitCode);
        await File.WriteAllTextAsync(before, checkpoint.Out);
        await EgressAsync("dec_000000000000000000000002", digest);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).ExitCode);

        using var models = new ModelCommandTests();
        var input = models.Egress("research", s_hospital);
        var first = Path.Combine(_root, "triage-v1.intoto.json");
        var second = Path.Combine(_root, "triage-v2.intoto.json");
        Assert.Equal(0, (await models.RegisterAsync(input, "model-training", s_hospital, first, "--licence", "Apache-2.0")).ExitCode);
        Assert.Equal(0, (await models.RegisterAsync(first, "model-training", s_hospital, second, "--licence", "Apache-2.0", "--name", "triage-v2", "--trust", ModelCommandTests.Trainer.VerifierKey.ToString()!)).ExitCode);
        return (before, ["--model", first, "--model", second, "--trust", ModelCommandTests.Trainer.VerifierKey.ToString()!]);
    }

    private async Task<string> CheckpointAsync(string file)
    {
        var checkpoint = await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace);
        Assert.True(checkpoint.ExitCode == 0, checkpoint.Error);
        var path = Path.Combine(_root, file);
        await File.WriteAllTextAsync(path, checkpoint.Out);
        return path;
    }

    // A model as a gateway registers it (`triage@1.0`, trained on the first egress), signed; the caller logs it or not.
    private async Task<string> WriteGatewayModelAsync(string file, string purpose)
    {
        var statement = new InTotoStatement(
            [AttestationSubject.FromSha256("model.bin", Sha256Digest.Compute("weights"u8))],
            AttestationPredicateTypes.Model,
            new JsonObject
            {
                ["model"] = "triage",
                ["version"] = "1.0",
                ["trainer"] = "northwind-research",
                ["purpose"] = purpose,
                ["inputs"] = new JsonArray(new JsonObject { ["predicateType"] = AttestationPredicateTypes.Egress, ["subjects"] = new JsonArray(new JsonObject { ["name"] = "egress/dec_000000000000000000000001.csv", ["sha256"] = "sha256:" + new string('2', 64) }) }),
            });
        var path = Path.Combine(_root, file);
        await File.WriteAllBytesAsync(path, Attestation.Sign(statement, ModelCommandTests.Trainer).ToJson());
        return path;
    }

    private async Task EgressAsync(string decisionId, string digest)
    {
        await AppendAsync("gateway.decision/v1", new JsonObject
        {
            ["decisionId"] = decisionId,
            ["recipient"] = "northwind-research",
            ["dataset"] = Dataset,
            ["purpose"] = "research",
            ["jurisdiction"] = "DE",
            ["action"] = "read-rows",
            ["effect"] = "permit",
            ["agreement"] = "hospital-research",
            ["agreementDigest"] = digest,
            ["reasons"] = new JsonArray(),
            ["datasetVersion"] = 1,
            ["manifest"] = "sha256:" + new string('4', 64),
        });
        await AppendAsync("gateway.egress/v1", new JsonObject
        {
            ["decisionId"] = decisionId,
            ["tokenId"] = "tok_1",
            ["recipient"] = "northwind-research",
            ["dataset"] = Dataset,
            ["format"] = "csv",
            ["rows"] = 20,
            ["bytesWritten"] = 1234,
            ["sha256"] = "sha256:" + new string('2', 64),
            ["completed"] = true,
            ["datasetVersion"] = 1,
            ["manifest"] = "sha256:" + new string('4', 64),
            ["rowsWithheldByConsent"] = 0,
            ["rowsWithheldByResidency"] = 0,
        });
    }

    private async Task AppendAsync(string type, JsonObject body)
    {
        var path = Path.Combine(_root, "entry.json");
        await File.WriteAllTextAsync(path, body.ToJsonString());
        var result = await CliRunner.RunAsync("log", "append", "--workspace", Workspace, "--type", type, path);
        Assert.True(result.ExitCode == 0, result.Error);
    }
}
