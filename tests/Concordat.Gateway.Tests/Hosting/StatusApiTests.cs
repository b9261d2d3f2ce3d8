using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Concordat.Gateway.Tests.Hosting;

public sealed class StatusApiTests
{
    [Fact]
    public async Task Root_Anonymous_NamesTheGatewayAndLinksItsApiDescription()
    {
        await using var gateway = await TestGateway.StartAsync();

        var root = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/"))!;

        Assert.Equal("Concordat gateway", root["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(root["version"]!.GetValue<string>()));
        var openApi = root["links"]!["openapi"]!.GetValue<string>();
        using var document = await gateway.Anonymous.GetAsync(openApi);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    [Fact]
    public async Task HealthAndReadiness_HealthyGateway_Answer200AndLeaveNoEntry()
    {
        await using var gateway = await TestGateway.StartAsync();
        var before = (await gateway.LogEntriesAsync()).Count;

        using var health = await gateway.Anonymous.GetAsync("/healthz");
        var ready = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/readyz"))!;

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal(before, ready["treeSize"]!.GetValue<long>());
        Assert.Equal(before, (await gateway.LogEntriesAsync()).Count);
    }
}
