using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing;

namespace Concordat.Gateway.Tests;

/// <summary>
/// The OpenAPI document the gateway serves is the one checked in at docs/api/openapi.json, so that every change to
/// the HTTP surface shows up in review. Set CONCORDAT_UPDATE_OPENAPI=1 to rewrite the checked-in copy for a human to
/// review; the test still fails on that run, and never rewrites it by itself.
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

    /// <summary>Parses and writes the document again, indented with LF line ends and without <c>servers</c> (they name the test's port).</summary>
    private static string Normalise(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(s_indented).ReplaceLineEndings("\n") + "\n";
    }
}
