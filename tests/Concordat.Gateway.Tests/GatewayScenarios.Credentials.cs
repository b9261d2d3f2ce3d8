using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests;

/// <summary>A refused credential is refused on every route the gateway serves, with its own code, and logged.</summary>
public abstract partial class GatewayScenarios
{
    [Theory]
    [InlineData("revoked", HttpStatusCode.Unauthorized, "GW6004")]
    [InlineData("expired", HttpStatusCode.Unauthorized, "GW6003")]
    [InlineData("sealed", HttpStatusCode.Forbidden, "GW6005")]
    public async Task EveryRoute_TokenNoLongerValid_IsRefusedWithItsCodeAndLogged(string state, HttpStatusCode status, string code)
    {
        await using var gateway = await StartAsync();
        var (bearer, tokenId) = await HospitalTokenWithIdAsync(gateway);
        await MakeAsync(gateway, state, tokenId);
        var routes = await RoutesAsync(gateway);
        var before = (await gateway.LogEntriesAsync()).Count;

        var answers = new List<string>();
        foreach (var (method, path, _, mediaType) in routes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{}", Encoding.UTF8, mediaType) };
            using var response = await bearer.SendAsync(request);
            var problem = await AssertProblemAsync(response, status, code);
            answers.Add($"{method} {path}: {problem["code"]}");
        }

        Assert.True(routes.Count >= 16, $"only {routes.Count} routes in the OpenAPI document");
        Assert.Equal(routes.Count, answers.Count);
        var refusals = (await gateway.LogEntriesAsync()).Skip(before)
            .Where(e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == code)
            .ToList();
        Assert.Equal(routes.Select(r => WithoutFinalSlash(r.Template)).Order(StringComparer.Ordinal), refusals.Select(r => WithoutFinalSlash(r["body"]!["route"]!.GetValue<string>())).Order(StringComparer.Ordinal));
        Assert.All(refusals, r => Assert.Equal(tokenId, r["body"]!["tokenId"]!.GetValue<string>()));
        Assert.All(refusals, r => Assert.Equal(HospitalRecipient, r["body"]!["recipient"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnonymousRoute_UnknownBearerToken_IsRefusedNotServedAsAnonymous()
    {
        await using var gateway = await StartAsync();
        using var stranger = gateway.Client("Bearer", "cdt_not-a-token");

        using var response = await stranger.GetAsync("/v1/log/checkpoint");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6001");
    }

    // Route groups name `/v1/agreements` as `/v1/agreements/`; the root stays `/`.
    private static string WithoutFinalSlash(string route) => route.EndsWith('/') && !route.EndsWith(" /", StringComparison.Ordinal) ? route[..^1] : route;

    private static async Task MakeAsync(TestGateway gateway, string state, string tokenId)
    {
        using var response = state switch
        {
            "revoked" => await gateway.Operator.DeleteAsync($"/v1/tokens/{tokenId}"),
            "sealed" => await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "test" }),
            _ => null,
        };
        if (state == "expired")
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(16));
        }
        else
        {
            Assert.True(response!.IsSuccessStatusCode, $"{state}: {(int)response.StatusCode}");
        }
    }

    /// <summary>Every operation of the served OpenAPI document, with its path parameters filled in, its template as refusal entries name it, and a media type it accepts.</summary>
    private static async Task<List<(HttpMethod Method, string Path, string Template, string MediaType)>> RoutesAsync(TestGateway gateway)
    {
        var document = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var routes = new List<(HttpMethod, string, string, string)>();
        foreach (var (template, operations) in document["paths"]!.AsObject())
        {
            var path = template
                .Replace("{datasetId}", HospitalDataset, StringComparison.Ordinal)
                .Replace("{recipientId}", HospitalRecipient, StringComparison.Ordinal)
                .Replace("{tokenId}", "tok_unknown", StringComparison.Ordinal)
                .Replace("{clientId}", "cid_unknown", StringComparison.Ordinal)
                .Replace("{decisionId}", "dec_unknown", StringComparison.Ordinal)
                .Replace("{code}", "GW6001", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            routes.AddRange(operations!.AsObject().Select(operation => (
                HttpMethod.Parse(operation.Key),
                path,
                $"{operation.Key.ToUpperInvariant()} {template}",
                operation.Value!["requestBody"]?["content"]?.AsObject().First().Key ?? "application/json")));
        }

        return routes;
    }
}
