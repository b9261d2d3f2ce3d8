using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests;

/// <summary>The operator's listing and revocation of service identities.</summary>
public abstract partial class GatewayScenarios
{
    [Fact]
    public async Task RevokeIdentity_LiveIdentityWithToken_RevokesBothListsItAndLogsOnce()
    {
        await using var gateway = await StartAsync();
        var (bearer, _) = await HospitalTokenWithIdAsync(gateway);
        var clientId = (await ListIdentitiesAsync(gateway)).Single()!["clientId"]!.GetValue<string>();

        using var revoked = await gateway.Operator.DeleteAsync($"/v1/recipients/{HospitalRecipient}/identities/{clientId}");
        using var again = await gateway.Operator.DeleteAsync($"/v1/recipients/{HospitalRecipient}/identities/{clientId}");
        using var otherRecipient = await gateway.Operator.DeleteAsync($"/v1/recipients/st-aurelia/identities/{clientId}");
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await revoked.Content.ReadFromJsonAsync<JsonObject>())!["tokensRevoked"]!.GetValue<int>());
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonObject>())!["tokensRevoked"]!.GetValue<int>());
        await AssertProblemAsync(otherRecipient, HttpStatusCode.NotFound, "GW6014");
        await AssertProblemAsync(rows, HttpStatusCode.Unauthorized, "GW6004");
        Assert.NotNull((await ListIdentitiesAsync(gateway)).Single()!["revokedAt"]);
        var entry = Assert.Single(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.identity-revoked/v1");
        Assert.Equal(clientId, entry["body"]!["clientId"]!.GetValue<string>());
    }

    private static async Task<JsonArray> ListIdentitiesAsync(TestGateway gateway)
    {
        using var response = await gateway.Operator.GetAsync($"/v1/recipients/{HospitalRecipient}/identities");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}
