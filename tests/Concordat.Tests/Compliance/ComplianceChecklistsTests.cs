using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Compliance;
using Concordat.Evidence;
using Concordat.Testing;
using Concordat.Testing.Peers;
using Json.Schema;

namespace Concordat.Tests.Compliance;

public sealed class ComplianceChecklistsTests
{
    private static readonly string s_schemaText = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "formats", "compliance-checklist.schema.json"));
    private static readonly JsonSchema s_schema = JsonSchema.FromText(s_schemaText);

    // A checklist that breaks the schema in four ways: an unknown key, an item with neither artifacts nor evidence, an
    // unknown evidence kind, and too few items.
    private const string Broken = """
        format: 1
        regime: broken
        title: Broken
        version: 1
        appliesTo: { sectors: [finance] }
        extra: true
        items:
          - { id: a, obligation: One., source: s. 1 }
          - { id: b, obligation: Two., source: s. 2, evidence: log-exists }
        """;

    public static TheoryData<string> Files() => [.. ComplianceChecklists.BuiltInFiles];

    [Fact]
    public void BuiltIn_SixRegimes_EachWithAtLeastTenItemsAndUniqueIds()
    {
        var checklists = ComplianceChecklists.BuiltIn;

        Assert.Equal(["eu-ai-act", "finance-mrm", "gdpr", "hipaa", "uk-gdpr", "us"], checklists.Select(c => c.Regime));
        Assert.All(checklists, c => Assert.True(c.Items.Count >= ComplianceChecklists.MinimumItems, c.Regime));
        var ids = checklists.SelectMany(c => c.Items).Select(i => i.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(checklists, c => Assert.All(c.Items, i => Assert.True(i.Artifacts.Count > 0 || i.Evidence is not null, i.Id)));
    }

    [Fact]
    public void BuiltIn_Hipaa_AsksForDeIdentificationTestsConsentLogsAndBaas()
    {
        var hipaa = ComplianceChecklists.BuiltIn.Single(c => c.Regime == "hipaa");

        var expert = hipaa.Items.Single(i => i.Id == "hipaa-deidentification-expert");

        Assert.Equal("45 CFR 164.514(b)(1)", expert.Source);
        Assert.Equal(["de-identification-test"], expert.Artifacts);
        Assert.Contains(hipaa.Items, i => i.Artifacts.Contains("baa"));
        Assert.Contains(hipaa.Items, i => i.Artifacts.Contains("consent-log"));
        Assert.Contains(hipaa.Items, i => i.Evidence == LogEvidence.ConsentEnforced);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Schema_BuiltInChecklist_IsValidByJsonSchemaNet(string file)
    {
        var json = ToJson(ComplianceChecklists.ReadBuiltInText(file), file);

        var result = Evaluate(json);

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void Schema_BrokenChecklist_IsInvalidByJsonSchemaNet()
    {
        Assert.False(Evaluate(ToJson(Broken, "broken.yaml")).IsValid);
    }

    [Fact]
    public void Schema_EveryBuiltInChecklist_IsValidByAjvAndTheBrokenOneIsNot()
    {
        var documents = new JsonObject { ["broken"] = ToJson(Broken, "broken.yaml") };
        foreach (var file in ComplianceChecklists.BuiltInFiles)
        {
            documents[file] = ToJson(ComplianceChecklists.ReadBuiltInText(file), file);
        }

        var input = new JsonObject { ["schema"] = JsonNode.Parse(s_schemaText), ["documents"] = documents };
        var results = JsonNode.Parse(NodePeer.Run("json-schema-validate.mjs", input.ToJsonString(), TimeSpan.FromSeconds(60)))!.AsObject();

        Assert.All(ComplianceChecklists.BuiltInFiles, file => Assert.Empty(results[file]!.AsArray()));
        var errors = results["broken"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.Contains("additional properties", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/items ", StringComparison.Ordinal));
    }

    [Fact]
    public void TryRead_BrokenChecklist_ReportsEveryProblemAsEvd8101()
    {
        var read = ComplianceChecklists.TryRead(Broken, "broken.yaml", out var checklist, out var diagnostics);

        Assert.False(read);
        Assert.Null(checklist);
        Assert.All(diagnostics, d => Assert.Equal(EvidenceErrorCodes.ChecklistMalformed.Code, d.Code));
        Assert.Contains(diagnostics, d => d.Message.Contains("unknown key `extra`", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.Contains("item `a` has neither `artifacts` nor `evidence`", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.Contains("`evidence` is not one of", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Message.Contains("holds 2 items", StringComparison.Ordinal));
    }

    [Fact]
    public void TryRead_RepeatedItemId_IsRefused()
    {
        var text = ComplianceChecklists.ReadBuiltInText("gdpr.yaml").Replace("id: gdpr-dpia", "id: gdpr-lawful-basis", StringComparison.Ordinal);

        ComplianceChecklists.TryRead(text, "gdpr.yaml", out _, out var diagnostics);

        Assert.Contains(diagnostics, d => d.Message.Contains("item id `gdpr-lawful-basis` is used 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void TryRead_NotYaml_IsEvd8101()
    {
        ComplianceChecklists.TryRead("items: [unclosed", "bad.yaml", out _, out var diagnostics);

        Assert.Contains(diagnostics, d => d.Code == EvidenceErrorCodes.ChecklistMalformed.Code && d.Message.StartsWith("`bad.yaml`", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DE", "", "eu-ai-act,gdpr")]
    [InlineData("EU", "healthcare", "eu-ai-act,gdpr")]
    [InlineData("NO", "", "gdpr")]
    [InlineData("GB", "finance", "finance-mrm,uk-gdpr")]
    [InlineData("US", "healthcare", "hipaa,us")]
    [InlineData("US-CA", "", "us")]
    [InlineData("JP", "finance", "finance-mrm")]
    [InlineData("JP", "", "")]
    public void Applicable_ByJurisdictionAndSector_ChoosesTheRegimes(string jurisdiction, string sector, string expected)
    {
        var scope = new ComplianceScope([new Jurisdiction(jurisdiction)], sector.Length == 0 ? [] : [sector]);

        var regimes = ComplianceChecklists.BuiltIn.Where(c => c.AppliesTo(scope)).Select(c => c.Regime);

        Assert.Equal(expected, string.Join(",", regimes));
    }

    [Fact]
    public void AppliesTo_NoScope_MatchesNoRegime()
    {
        Assert.DoesNotContain(ComplianceChecklists.BuiltIn, c => c.AppliesTo(null));
    }

    private static EvaluationResults Evaluate(JsonNode json) =>
        s_schema.Evaluate(JsonDocument.Parse(json.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static JsonNode ToJson(string yaml, string file)
    {
        var diagnostics = new List<Concordat.Core.Diagnostic>();
        return ChecklistYaml.ToJson(yaml, file, diagnostics) ?? throw new InvalidOperationException(string.Join("; ", diagnostics));
    }
}
