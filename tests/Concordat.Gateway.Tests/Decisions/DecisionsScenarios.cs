using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Decisions;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing.Decisions;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Decisions;

/// <summary>Decisions over HTTP: the library's decisions for every corpus file, and the coded reasons a token request is denied with.</summary>
public abstract class DecisionsScenarios : GatewayScenarios
{
    public static IEnumerable<object[]> DecisionCaseFiles() => DecisionCaseFile.NamesUsingOnlyFilesInForce();

    [Theory]
    [MemberData(nameof(DecisionCaseFiles))]
    public async Task Decide_CorpusFile_GivesTheLibrarysDecisionsAndReasons(string name)
    {
        var file = DecisionCaseFile.Load(name);
        await using var gateway = await StartAsync();
        foreach (var agreement in file.Agreements)
        {
            var yaml = File.ReadAllText(DecisionCaseFile.ResolvePath(agreement.File!));
            Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        }

        var differences = new List<string>();
        foreach (var decisionCase in file.Cases)
        {
            var request = decisionCase.Request;
            using var response = await gateway.Operator.PostAsJsonAsync("/v1/decisions", new
            {
                recipient = request.Recipient.Value,
                dataset = request.Dataset.Value,
                purpose = request.Purpose.Value,
                jurisdiction = request.Jurisdiction.Value,
                subprocessor = request.Subprocessor?.Value,
                action = ApiNames.Name(request.Action),
                role = request.Role is { } role ? DecisionNames.ToName(role) : null,
                at = request.Time,
            });
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{decisionCase.Name}: {body.ToJsonString()}");
            Assert.True(DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(body["record"]!.ToJsonString()), out var record, out var error), $"{decisionCase.Name}: {error?.Message}: {body.ToJsonString()}");
            Assert.Equal(DecisionNames.ToName(record.Effect), body["effect"]!.GetValue<string>());
            differences.Add(decisionCase.Difference(record) ?? string.Empty);
        }

        Assert.NotEmpty(file.Cases);
        Assert.All(differences, d => Assert.Equal(string.Empty, d));
    }

    [Fact]
    public async Task IssueToken_DownloadSnapshot_DeniedBecauseThePathDoesNotExistYet()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "analysis");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "evaluation", "DE", "downloadSnapshot");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Equal("the gateway does not serve the action yet", problem["detail"]!.GetValue<string>());
        var record = await LoggedDecisionRecordAsync(gateway, problem["decisionId"]!.GetValue<string>());
        Assert.Equal(Effect.Deny, record.Effect);
        Assert.Equal([ReasonCode.ActionNotAvailable], record.Reasons.Select(r => r.Code));
        Assert.Empty(record.Agreements);
    }

    [Theory]
    [InlineData("deployment")]
    [InlineData("ingestion")]
    public async Task IssueToken_RoleDoesNotAllowReadRows_Returns403WithTheRoleInTheRecord(string role)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, role);
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Equal("the identity's role does not allow the action", problem["detail"]!.GetValue<string>());
        var record = await LoggedDecisionRecordAsync(gateway, problem["decisionId"]!.GetValue<string>());
        Assert.Equal(role, DecisionNames.ToName(record.Request.Role!.Value));
        Assert.Equal([ReasonCode.RoleNotPermitted], record.Reasons.Select(r => r.Code));
    }

    /// <summary>Reads the decision record the decision entry named <paramref name="decisionId"/> holds: the library's record shape, nothing wrapped around it.</summary>
    private static async Task<DecisionRecordV1> LoggedDecisionRecordAsync(TestGateway gateway, string decisionId)
    {
        var entries = await gateway.LogEntriesAsync();
        var entry = Assert.Single(entries, e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        var json = entry["body"]!["record"]!.ToJsonString();
        Assert.True(DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(json), out var record, out var error), error?.Message);
        return record;
    }
}
