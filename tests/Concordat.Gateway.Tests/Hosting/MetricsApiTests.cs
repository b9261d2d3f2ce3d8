using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// <c>GET /metrics</c> after real requests: every instrument moved by what the requests did. The class runs alone
/// (<see cref="MetricsGroup"/>): the exporter listens to meters by name, so another gateway in the same process
/// would add its own counts.
/// </summary>
[Collection(MetricsGroup.Name)]
public sealed class MetricsApiTests
{
    private const string Hospital = "hospital-research";
    private const string Recipient = "northwind-research";
    private const string Dataset = "cardiology-records";

    [Fact]
    public async Task Scrape_AfterTokensRowsAndASeal_CountsMovedByWhatTheRequestsDid()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (trainingId, trainingSecret) = await gateway.CreateIdentityAsync(Recipient, "training");
        var (deploymentId, deploymentSecret) = await gateway.CreateIdentityAsync(Recipient, "deployment");
        using var training = gateway.ClientFor(trainingId, trainingSecret);
        using var deployment = gateway.ClientFor(deploymentId, deploymentSecret);
        var entriesBefore = (await gateway.LogEntriesAsync()).Count;
        var before = await ScrapeAsync(gateway);

        using var permitted = await TestGateway.RequestTokenAsync(training, Dataset, "research", "DE");
        using var denied = await TestGateway.RequestTokenAsync(deployment, Dataset, "research", "DE");
        var token = (await permitted.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var bearer = gateway.Client("Bearer", token);
        using var rows = await bearer.GetAsync($"/v1/datasets/{Dataset}/rows");
        var body = await rows.Content.ReadAsByteArrayAsync();
        var receipt = (await bearer.GetFromJsonAsync<JsonObject>($"/v1/receipts/{rows.Headers.GetValues("Concordat-Decision-Id").Single()}"))!;
        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{Recipient}/seal", new { reason = "metrics test" });
        var entriesAfter = (await gateway.LogEntriesAsync()).Count;
        var after = await ScrapeAsync(gateway);

        Assert.Equal(HttpStatusCode.Created, permitted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        Assert.Equal(2, Delta(before, after, "concordat_decisions_total", "effect=\"permit\""));
        Assert.Equal(1, Delta(before, after, "concordat_decisions_total", "effect=\"deny\""));
        Assert.Equal(receipt["rows"]!.GetValue<long>(), Delta(before, after, "concordat_egress_rows_total", "format=\"csv\""));
        Assert.Equal(body.Length, Delta(before, after, "concordat_egress_bytes_total", "format=\"csv\""));
        Assert.Equal(1, Delta(before, after, "concordat_seals_total"));
        Assert.Equal(entriesAfter - entriesBefore, Delta(before, after, "concordat_log_append_duration_seconds_count", "outcome=\"appended\""));
        Assert.Equal(0, Sum(after, "concordat_log_append_pending"));
        Assert.Equal(1, Delta(before, after, "http_server_request_duration_seconds_count", "http_route=\"/v1/datasets/{datasetId}/rows\""));
    }

    [Fact]
    public async Task Scrape_Anonymous_AnswersPrometheusTextAndLeavesNoEntry()
    {
        await using var gateway = await TestGateway.StartAsync();
        var entries = (await gateway.LogEntriesAsync()).Count;

        using var response = await gateway.Anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(entries, (await gateway.LogEntriesAsync()).Count);
    }

    private static async Task<IReadOnlyList<(string Series, double Value)>> ScrapeAsync(TestGateway gateway)
    {
        var text = await gateway.Anonymous.GetStringAsync("/metrics");
        var samples = new List<(string, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // Spec: Prometheus text format: `name{labels} value [timestamp]`; label values (routes) may hold braces, not spaces.
            var end = line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            var value = line[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            samples.Add((line[..end], double.Parse(value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    private static double Sum(IReadOnlyList<(string Series, double Value)> samples, string name, string? label = null) =>
        samples.Where(s => (s.Series == name || s.Series.StartsWith(name + "{", StringComparison.Ordinal)) && (label is null || s.Series.Contains(label, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    private static double Delta(IReadOnlyList<(string Series, double Value)> before, IReadOnlyList<(string Series, double Value)> after, string name, string? label = null) =>
        Sum(after, name, label) - Sum(before, name, label);
}
