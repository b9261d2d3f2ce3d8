using System.Net;
using System.Text;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Problems;

/// <summary>Refusals the framework answers before an endpoint runs (oversize body, unknown route), as problems with their codes.</summary>
public abstract class ProblemsScenarios : GatewayScenarios
{
    [Fact]
    public async Task IssueToken_OversizeBody_Returns413ProblemAndLogsRefusal()
    {
        await using var gateway = await StartAsync(maxRequestBodyBytes: 16 * 1024);
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await client.PostAsync("/v1/tokens", new StringContent("{\"dataset\":\"" + new string('a', 40_000) + "\"}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "GW6012");
        await AssertRefusalLoggedAsync(gateway, "GW6012");
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemAndLeavesNoEntry()
    {
        await using var gateway = await StartAsync();
        var before = (await gateway.LogEntriesAsync()).Count;

        using var response = await gateway.Anonymous.GetAsync("/v1/no-such-thing");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal(before, (await gateway.LogEntriesAsync()).Count);
    }
}
