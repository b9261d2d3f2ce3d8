using System.Globalization;
using System.Net;
using System.Text.Json;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing.Peers;
using static Concordat.Gateway.Tests.DeltaSharing.DeltaSharingApiTests;

namespace Concordat.Gateway.Tests.DeltaSharing;

/// <summary>The change data feed (PROTOCOL.md "Read Change Data Feed from a Table"), built from dataset versions and read back by DuckDB through the pre-signed URLs.</summary>
public sealed class DeltaSharingChangesTests
{
    private const string ChangesPath = $"/delta-sharing/shares/{Share}/schemas/default/tables/{Table}/changes";

    [Fact]
    public async Task Changes_TwoVersions_DuckDbReadsTheFirstAsAnAddAndTheSecondAsItsInsertsAndDeletes()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var before = await RowsEndpointAsync(gateway, client);
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        var secondImportedAt = gateway.Clock.GetUtcNow();
        using var import = await gateway.ImportAsync(Table, SecondVersionCsv());
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));
        var after = await RowsEndpointAsync(gateway, client);
        var decisions = await DecisionCountAsync(gateway);

        using var changes = await bearer.GetAsync($"{ChangesPath}?startingVersion=0");
        var lines = await LinesAsync(changes);
        var add = lines[2]["add"]!;
        var cdf = lines[3]["cdf"]!;
        var first = ParquetRead.DuckDbUrl(new Uri(add["url"]!.GetValue<string>()));
        var second = ParquetRead.DuckDbUrl(new Uri(cdf["url"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal("1", changes.Headers.GetValues("Delta-Table-Version").Single());
        Assert.Equal(4, lines.Count);
        Assert.Equal(1, lines[0]["protocol"]!["minReaderVersion"]!.GetValue<int>());
        Assert.Equal("true", lines[1]["metaData"]!["configuration"]!["enableChangeDataFeed"]!.GetValue<string>());
        Assert.Equal(decisions + 1, await DecisionCountAsync(gateway));
        Assert.Equal(1, add["version"]!.GetValue<int>());
        Assert.Equal(2, cdf["version"]!.GetValue<int>());
        Assert.True(add["timestamp"]!.GetValue<long>() < cdf["timestamp"]!.GetValue<long>());
        Assert.Equal(secondImportedAt.ToUnixTimeMilliseconds(), cdf["timestamp"]!.GetValue<long>());
        first.AssertMatches(before);

        // Version 2 keeps rows 0-2 and 6-19 of version 1 and adds rows 20-29: the inserts, then the deletes.
        Assert.Equal("_change_type", second.Columns[^1].Name);
        Assert.Equal([.. Enumerable.Repeat("insert", 10), .. Enumerable.Repeat("delete", 3)], second.Rows.Select(r => r[^1].GetString()));
        var data = new ParquetRead([.. second.Columns.SkipLast(1)], [.. second.Rows.Select(r => r[..^1])], second.Requests);
        data.AssertMatches([.. after.Skip(17), .. before.Skip(3).Take(3)]);
        Assert.Contains(second.Requests, r => r.Range is not null && r.Status == 206);
    }

    [Fact]
    public async Task Changes_StartingTimestampBetweenVersions_ServesOnlyTheLaterVersionsChanges()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var between = gateway.Clock.GetUtcNow().AddMinutes(30);
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        using var import = await gateway.ImportAsync(Table, SecondVersionCsv());
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));

        using var changes = await bearer.GetAsync($"{ChangesPath}?startingTimestamp={Uri.EscapeDataString(between.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}&endingVersion=7");
        var lines = await LinesAsync(changes);

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal("2", changes.Headers.GetValues("Delta-Table-Version").Single());
        Assert.Equal(["protocol", "metaData", "cdf"], lines.Select(l => l.Single().Key));
        Assert.Equal(13, JsonDocument.Parse(lines[2]["cdf"]!["stats"]!.GetValue<string>()).RootElement.GetProperty("numRecords").GetInt64());
    }

    [Theory]
    [InlineData("", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=1&startingTimestamp=2026-01-01%2000:00:00", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=9", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=1&endingVersion=0", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=-1", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=one", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingTimestamp=yesterday", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=1&endingVersion=1&endingTimestamp=2026-01-01%2000:00:00", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData("?startingVersion=1", "responseformat=delta", 400, "INVALID_PARAMETER_VALUE")]
    public async Task Changes_BadRequest_AnswersTheProtocolErrorShapeAndLogsTheRefusal(string query, string? capabilities, int status, string errorCode)
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, ChangesPath + query);
        if (capabilities is not null)
        {
            request.Headers.Add("delta-sharing-capabilities", capabilities);
        }

        using var response = await bearer.SendAsync(request);

        await AssertProtocolErrorAsync(response, (HttpStatusCode)status, errorCode);
        Assert.Equal("gateway.refusal/v1", (await gateway.LogEntriesAsync())[^1]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_AnotherRecipientsShare_IsNotFound()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var otherBearer = await OtherRecipientAsync(gateway);

        using var response = await otherBearer.GetAsync($"{ChangesPath}?startingVersion=0");

        await AssertProtocolErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    // The sample's rows 0-2 and 6-29 (InstallAsync imported rows 0-19 with every purpose as consent).
    private static string SecondVersionCsv()
    {
        var sample = TestGateway.ReadSample(Share);
        var csv = SampleRows.Csv(sample.Datasets.Single(d => d.Id.Value == Table), 30, string.Join(';', sample.Purposes.Select(p => p.Id.Value)), "DE");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\r\n", [rows[0], .. rows.Skip(1).Take(3), .. rows.Skip(7)]) + "\r\n";
    }

    private static async Task<int> DecisionCountAsync(TestGateway gateway) =>
        (await gateway.LogEntriesAsync()).Count(e => e["type"]!.GetValue<string>() == "gateway.decision/v1");
}
