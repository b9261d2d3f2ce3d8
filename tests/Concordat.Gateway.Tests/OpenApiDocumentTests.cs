using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing;

namespace Concordat.Gateway.Tests;

/// <summary>
/// The OpenAPI document the gateway serves is the one checked in at docs/api/openapi.json, so that every change to
/// the HTTP surface shows up in review. Set CONCORDAT_UPDATE_OPENAPI=1 to rewrite the checked-in copy for a human to
/// review; the test still fails on that run, and never rewrites it by itself. The document spans every folder's
/// endpoints, so the test is in the project's root.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string UpdateVariable = "CONCORDAT_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task ServedDocument_MatchesCheckedInCopy()
    {
        await using var gateway = await TestGateway.StartAsync();
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "api", "openapi.json");

        var served = Normalise(await gateway.Anonymous.GetStringAsync("/openapi/v1.json"));
        var checkedIn = File.Exists(path) ? Normalise(await File.ReadAllTextAsync(path)) : null;

        if (served != checkedIn && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served);
            Assert.Fail($"rewrote {path}: review the change, commit it and run the test again without {UpdateVariable}");
        }

        Assert.True(
            served == checkedIn,
            $"the served OpenAPI document differs from {path}: if the change is intended, run this test with {UpdateVariable}=1, review the rewritten file and commit it");
    }

    [Theory]
    [InlineData("TokenRequest", "dataset,purpose,jurisdiction", "action,lifetimeSeconds,subprocessor")]
    [InlineData("DecideRequest", "recipient,dataset,purpose,jurisdiction", "action,at,subprocessor,role")]
    [InlineData("IdentityRequest", "role", "")]
    [InlineData("SealRequest", "", "reason")]
    [InlineData("AgreementUpload", "document", "signatures")]
    public async Task ServedDocument_RequestSchema_RequiresWhatTheHandlerRequires(string schema, string required, string optional)
    {
        var document = await ServedDocumentAsync();

        var shape = document["components"]!["schemas"]![schema]!.AsObject();

        var requiredMembers = shape["required"]?.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToList() ?? [];
        Assert.Equal(Split(required).Order(StringComparer.Ordinal), requiredMembers);
        var properties = shape["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(Split(required).Concat(Split(optional)).Order(StringComparer.Ordinal), properties);
    }

    [Fact]
    public async Task ServedDocument_EveryErrorResponse_IsAProblemDocument()
    {
        var document = await ServedDocumentAsync();

        var operations = Operations(document).ToList();

        Assert.NotEmpty(operations);
        foreach (var (name, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            Assert.Contains(responses, r => r.Key.StartsWith('2'));
            Assert.True(responses.ContainsKey("500"), $"{name}: no 500 response");
            foreach (var (status, response) in responses.Where(r => !r.Key.StartsWith('2')))
            {
                var content = response!["content"]?.AsObject().Select(c => c.Key).ToList() ?? [];
                Assert.True(content is ["application/problem+json"], $"{name} {status}: content {string.Join(", ", content)}");
            }
        }
    }

    [Theory]
    [InlineData("post /v1/tokens", "400,401,403,413,415,429,503")]
    [InlineData("delete /v1/tokens/{tokenId}", "400,401,404,429,503")]
    [InlineData("get /v1/datasets/{datasetId}/rows", "400,401,403,404,406,429,503")]
    [InlineData("post /v1/datasets/{datasetId}/versions", "400,401,403,404,413,415,422,503")]
    [InlineData("post /v1/decisions", "400,401,403,413,415,503")]
    [InlineData("post /v1/agreements", "400,401,403,409,413,415,422,503")]
    [InlineData("get /v1/log/proofs/inclusion", "400,401,429,503")]
    [InlineData("get /v1/log/checkpoint", "401,429,503")]
    public async Task ServedDocument_Operation_ListsTheProblemsItsHandlerAnswers(string operation, string statuses)
    {
        var document = await ServedDocumentAsync();

        var responses = Operations(document).Single(o => o.Name == operation).Operation["responses"]!.AsObject();

        var problems = responses.Select(r => r.Key).Where(k => !k.StartsWith('2') && k != "500").Order(StringComparer.Ordinal);
        Assert.Equal(Split(statuses), problems);
    }

    private static async Task<JsonObject> ServedDocumentAsync()
    {
        await using var gateway = await TestGateway.StartAsync();
        return JsonNode.Parse(await gateway.Anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(operation => ($"{operation.Key} {path.Key}", operation.Value!.AsObject())));

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses and writes the document again, indented with LF line ends and without <c>servers</c> (they name the test's port).</summary>
    private static string Normalise(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(s_indented).ReplaceLineEndings("\n") + "\n";
    }
}
