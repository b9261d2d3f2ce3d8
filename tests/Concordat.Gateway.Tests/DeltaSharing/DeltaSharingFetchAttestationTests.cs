using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using static Concordat.Gateway.Tests.DeltaSharing.DeltaSharingApiTests;

namespace Concordat.Gateway.Tests.DeltaSharing;

/// <summary>Share tokens issued on a logged decision, and each file fetch (whole or a range) receipted and attested for exactly the bytes it sent.</summary>
public sealed class DeltaSharingFetchAttestationTests
{
    [Fact]
    public async Task Fetch_WholeThenFooterRange_EachIsAttestedForItsOwnBytesUnderTheQueryDecision()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var query = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{}"));
        var url = new Uri((await LinesAsync(query))[2]["file"]!["url"]!.GetValue<string>());

        using var whole = await gateway.Anonymous.GetAsync(url);
        var file = await whole.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(null, 8);
        using var footer = await gateway.Anonymous.SendAsync(request);
        var tail = await footer.Content.ReadAsByteArrayAsync();
        var fetches = new[] { (Response: whole, Bytes: file, Offset: 0L), (Response: footer, Bytes: tail, Offset: file.Length - 8L) };

        var entries = await gateway.LogEntriesAsync();
        var decisionId = entries.Last(e => Type(e) == "gateway.decision/v1")["body"]!["decisionId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.PartialContent, footer.StatusCode);
        foreach (var (response, bytes, offset) in fetches)
        {
            var fetchId = response.Headers.GetValues("Concordat-Fetch-Id").Single();
            Assert.StartsWith(decisionId + ".f", fetchId, StringComparison.Ordinal);
            Assert.Equal(decisionId, response.Headers.GetValues("Concordat-Decision-Id").Single());
            var statement = await StatementAsync(client, fetchId);
            var predicate = statement["predicate"]!;
            Assert.Equal($"egress/{fetchId}.parquet", statement["subject"]![0]!["name"]!.GetValue<string>());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), statement["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
            Assert.Equal(decisionId, predicate["decisionId"]!.GetValue<string>());
            Assert.Equal(fetchId, predicate["fetchId"]!.GetValue<string>());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(file)), predicate["file"]!["sha256"]!.GetValue<string>());
            Assert.Equal(file.Length, predicate["file"]!["size"]!.GetValue<long>());
            Assert.Equal(offset, predicate["range"]!["offset"]!.GetValue<long>());
            Assert.Equal(bytes.Length, predicate["bytes"]!.GetValue<long>());
            Assert.True(predicate["complete"]!.GetValue<bool>());
            Assert.Contains(predicate["obligations"]!.AsArray(), o => o!.GetValue<string>().Contains("pseudonymise", StringComparison.Ordinal));
            var egress = entries.Single(e => Type(e) == "gateway.egress/v1" && e["body"]!["fetchId"]?.GetValue<string>() == fetchId)["body"]!;
            Assert.Equal(decisionId, egress["decisionId"]!.GetValue<string>());
            Assert.Equal(offset, egress["rangeOffset"]!.GetValue<long>());
            Assert.Contains(entries, e => Type(e) == "gateway.attestation/v1" && e["body"]!["fetchId"]?.GetValue<string>() == fetchId);
        }

        Assert.NotNull(predicateRows(await StatementAsync(client, whole.Headers.GetValues("Concordat-Fetch-Id").Single())));
        Assert.Null(predicateRows(await StatementAsync(client, footer.Headers.GetValues("Concordat-Fetch-Id").Single())));

        static JsonNode? predicateRows(JsonObject statement) => statement["predicate"]!["rows"];
    }

    [Fact]
    public async Task ShareToken_IsIssuedOnALoggedPermitAndNamesIt_AndAPurposeNoShareGrantsIsRefusedOnALoggedDeny()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        using var refused = await client.PostAsync("/delta-sharing/oauth/token", Form("grant_type=client_credentials&scope=purpose:marketing jurisdiction:DE"));

        var entries = await gateway.LogEntriesAsync();
        var issued = entries.Single(e => Type(e) == "gateway.token-issued/v1")["body"]!;
        var decisions = entries.Where(e => Type(e) == "gateway.decision/v1").Select(e => e["body"]!).ToList();
        var permit = decisions.Single(d => d["decisionId"]!.GetValue<string>() == issued["decisionId"]!.GetValue<string>());
        Assert.StartsWith("dec_", issued["decisionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("permit", permit["effect"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_scope", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        Assert.Equal("deny", decisions[^1]["effect"]!.GetValue<string>());
        Assert.Single(entries, e => Type(e) == "gateway.token-issued/v1");
    }

    private static string Type(JsonObject entry) => entry["type"]!.GetValue<string>();

    // The recipient's own attestation of one fetch, its DSSE payload decoded.
    private static async Task<JsonObject> StatementAsync(HttpClient client, string fetchId)
    {
        var envelope = (await client.GetFromJsonAsync<JsonObject>($"/v1/attestations/egress/{fetchId}"))!;
        return JsonNode.Parse(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()))!.AsObject();
    }
}
