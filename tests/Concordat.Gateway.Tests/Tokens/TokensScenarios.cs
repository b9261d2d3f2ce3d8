using System.Net;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Tokens;

/// <summary>Token issuance: the request as read (actions, lifetimes, subprocessors) and the decision it is issued or denied by.</summary>
public abstract class TokensScenarios : GatewayScenarios
{
    [Fact]
    public async Task IssueToken_SubprocessorTheGrantAllows_PermitsAndEveryDecisionOnTheTokenNamesIt()
    {
        await using var gateway = await StartAsync();
        var yaml = HospitalWithSubprocessor();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: AllowedSubprocessor);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var bearer = gateway.Client("Bearer", JsonNode.Parse(body)!["token"]!.GetValue<string>());
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var decisions = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.decision/v1").ToList();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, decision =>
        {
            Assert.Equal("permit", decision["body"]!["effect"]!.GetValue<string>());
            Assert.Equal(AllowedSubprocessor, decision["body"]!["record"]!["request"]!["subprocessor"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IssueToken_SubprocessorTheAgreementDoesNotAllow_Returns403WithReasonAndLogsDeny(bool agreementNamesSubprocessors)
    {
        await using var gateway = await StartAsync();
        var yaml = agreementNamesSubprocessors ? HospitalWithSubprocessor() : File.ReadAllText(TestGateway.SamplePath(Hospital));
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: "st-aurelia");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Contains("subprocessor is not permitted", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var decisionId = problem["decisionId"]!.GetValue<string>();
        var decision = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        Assert.Equal("deny", decision["body"]!["effect"]!.GetValue<string>());
        Assert.Equal("st-aurelia", decision["body"]!["record"]!["request"]!["subprocessor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("../cloudlab")]
    [InlineData("x' OR '1'='1")]
    [InlineData("")]
    public async Task IssueToken_SubprocessorNotAnId_Returns400AndLogsRefusal(string subprocessor)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: subprocessor);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`subprocessor`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
    }

    [Theory]
    [InlineData("marketing", "DE")]
    [InlineData("research", "US")]
    public async Task IssueToken_PurposeOrJurisdictionNotPermitted_Returns403AndLogsDeny(string purpose, string jurisdiction)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, purpose, jurisdiction);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.StartsWith("dec_", problem["decisionId"]!.GetValue<string>(), StringComparison.Ordinal);
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["effect"]!.GetValue<string>() == "deny");
    }

    [Fact]
    public async Task IssueToken_OutsideTheWindow_Returns403()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync("redteam-engagement");
        var (clientId, secret) = await gateway.CreateIdentityAsync("sentinel-security", "analysis");
        using var client = gateway.ClientFor(clientId, secret);
        gateway.Clock.SetUtcNow(new DateTimeOffset(2027, 8, 1, 0, 0, 0, TimeSpan.Zero));

        using var response = await TestGateway.RequestTokenAsync(client, "model-endpoint-logs", "red-teaming", "DE");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
    }

    [Theory]
    [InlineData("aggregate-query", "aggregate-query")]
    [InlineData("downloadSnapshot", "download-snapshot")]
    public async Task IssueToken_Action_IsReadInKebabCaseOrDeprecatedCamelCaseAndLoggedInKebabCase(string asked, string logged)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "analysis");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", asked);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        var entry = (await gateway.LogEntriesAsync()).Single(e => e["body"]!["decisionId"]?.GetValue<string>() == problem["decisionId"]!.GetValue<string>());
        Assert.Equal(logged, entry["body"]!["action"]!.GetValue<string>());
        Assert.Equal(logged, entry["body"]!["record"]!["request"]!["action"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task IssueToken_LifetimeNotPositive_Returns400AndLogsRefusal(int lifetimeSeconds)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", lifetimeSeconds: lifetimeSeconds);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`lifetimeSeconds`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
    }

    [Fact]
    public async Task IssueToken_UnknownSubprocessor_Returns400AndLogsRefusalNotADecision()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: "shadow-compute");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`shadow-compute`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["clientId"]?.GetValue<string>() == clientId);
    }

    /// <summary>The hospital sample with a subprocessor party that the research grant allows.</summary>
    private static string HospitalWithSubprocessor()
    {
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        yaml = yaml.Replace("\napprovers:", $$"""
              - id: {{AllowedSubprocessor}}
                legalName: Cloudlab Compute GmbH
                jurisdiction: DE
                roles: [subprocessor]

            approvers:
            """, StringComparison.Ordinal);
        return yaml.Replace("    jurisdictions: [DE, NL]\n    rateLimit:", $"    jurisdictions: [DE, NL]\n    subprocessors: [{AllowedSubprocessor}]\n    rateLimit:", StringComparison.Ordinal);
    }
}
