using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Concordat.Gateway.Tests;

/// <summary>Seals and identities: what a seal refuses, what it records, and which identities may exist at all.</summary>
public abstract partial class GatewayScenarios
{
    [Fact]
    public async Task Seal_UnknownRecipient_Returns404AndLogsNoSeal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var seal = await gateway.Operator.PostAsJsonAsync("/v1/recipients/northwind-reserch/seal", new { reason = "typo" });

        await AssertProblemAsync(seal, HttpStatusCode.NotFound, "GW6014");
        var entries = await gateway.LogEntriesAsync();
        Assert.DoesNotContain(entries, e => e["type"]!.GetValue<string>() == "gateway.seal/v1");
        await AssertRefusalLoggedAsync(gateway, "GW6014");
    }

    [Fact]
    public async Task Seal_Twice_EachActLogsItsOwnReasonAndCounts()
    {
        await using var gateway = await StartAsync();
        await HospitalTokenAsync(gateway);

        using var first = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "incident 1" });
        using var second = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "incident 1, again" });

        var answer = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(answer["wasSealed"]!.GetValue<bool>());
        Assert.Equal("incident 1, again", answer["reason"]!.GetValue<string>());
        var seals = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.seal/v1").Select(e => e["body"]!).ToList();
        Assert.Equal(["incident 1", "incident 1, again"], seals.Select(s => s["reason"]!.GetValue<string>()));
        Assert.Equal([1, 0], seals.Select(s => s["tokensRevoked"]!.GetValue<int>()));
        Assert.Equal([1, 0], seals.Select(s => s["identitiesRevoked"]!.GetValue<int>()));
    }

    [Fact]
    public async Task CreateIdentity_RecipientSealed_Returns409AndNoIdentityOutlivesTheSeal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "drill" });

        using var create = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/identities", new { role = "training" });
        using var unseal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/unseal", new { reason = "drill over" });
        using var review = await gateway.Operator.GetAsync("/v1/access-review");

        await AssertProblemAsync(create, HttpStatusCode.Conflict, "GW6040");
        await AssertRefusalLoggedAsync(gateway, "GW6040");
        Assert.Empty((await review.Content.ReadFromJsonAsync<JsonObject>())!["identities"]!.AsArray());
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.identity-created/v1");
    }

    [Fact]
    public async Task CreateIdentity_ProviderParty_Returns422AndLogsRefusal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var create = await gateway.Operator.PostAsJsonAsync("/v1/recipients/st-aurelia/identities", new { role = "training" });

        await AssertProblemAsync(create, HttpStatusCode.UnprocessableEntity, "GW6041");
        await AssertRefusalLoggedAsync(gateway, "GW6041");
    }
}
