using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
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
        AssertSpecMembers(lines[2]);
        Assert.Equal(13, ParquetRead.HyparquetUrl(new Uri(lines[2]["cdf"]!["url"]!.GetValue<string>())).Rows.Count);
    }

    [Fact]
    public async Task Query_StartingVersion_AnswersEachVersionAsTheRemoveOfThePreviousFileAndTheAddOfItsOwnWithObligationsApplied()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var before = await RowsEndpointAsync(gateway, client);
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        var secondImportedAt = gateway.Clock.GetUtcNow();

        // Rows 20-24 of version 2 live in the US: the row rules (residency DE or NL) withhold them from every file.
        var rows = SecondVersionCsv().Split("\r\n");
        using var import = await gateway.ImportAsync(Table, string.Join("\r\n", rows.Select((r, i) => i is >= 18 and < 23 ? r[..^2] + "US" : r)));
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));
        var after = await RowsEndpointAsync(gateway, client);
        var decisions = await DecisionCountAsync(gateway);

        using var all = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":0}"));
        using var second = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":2,\"endingVersion\":7}"));
        var lines = await LinesAsync(all);
        var secondLines = await LinesAsync(second);

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal(22, after.Count);
        Assert.Equal(decisions + 2, await DecisionCountAsync(gateway));
        Assert.Equal("1", all.Headers.GetValues("Delta-Table-Version").Single());
        Assert.Equal("2", second.Headers.GetValues("Delta-Table-Version").Single());
        Assert.Equal(["protocol", "metaData", "add", "remove", "add"], lines.Select(l => l.Single().Key));
        Assert.Equal(["protocol", "metaData", "remove", "add"], secondLines.Select(l => l.Single().Key));
        Assert.Equal(1, lines[1]["metaData"]!["version"]!.GetValue<int>());
        Assert.Equal(2, secondLines[1]["metaData"]!["version"]!.GetValue<int>());
        Assert.All(lines.Skip(2).Concat(secondLines.Skip(2)), AssertSpecMembers);
        var (added, removed, replacing) = (lines[2]["add"]!, lines[3]["remove"]!, lines[4]["add"]!);
        Assert.Equal((1, 2, 2), (added["version"]!.GetValue<int>(), removed["version"]!.GetValue<int>(), replacing["version"]!.GetValue<int>()));
        Assert.Equal(secondImportedAt.ToUnixTimeMilliseconds(), removed["timestamp"]!.GetValue<long>());

        // The file removed is the very file the version 1 line added (a client keys its cache on the id), and what it
        // holds is what the rows endpoint sent this recipient of version 1: pseudonymised, generalised, row rules applied.
        Assert.Equal(added["id"]!.GetValue<string>(), removed["id"]!.GetValue<string>());
        Assert.Equal(removed["id"]!.GetValue<string>(), secondLines[2]["remove"]!["id"]!.GetValue<string>());
        ParquetRead.HyparquetUrl(new Uri(removed["url"]!.GetValue<string>())).AssertMatches(before);
        ParquetRead.HyparquetUrl(new Uri(replacing["url"]!.GetValue<string>())).AssertMatches(after);
    }

    [Fact]
    public async Task Changes_IncludeHistoricalMetadata_TheMetadataLineIsTheStartingVersions()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        using var import = await gateway.ImportAsync(Table, SecondVersionCsv());
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));

        // The Python connector sends the flag as Python prints a boolean.
        using var with = await bearer.GetAsync($"{ChangesPath}?startingVersion=2&includeHistoricalMetadata=True");
        using var without = await bearer.GetAsync($"{ChangesPath}?startingVersion=2&includeHistoricalMetadata=false");
        var (withLines, withoutLines) = (await LinesAsync(with), await LinesAsync(without));

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal(2, withLines[1]["metaData"]!["version"]!.GetValue<int>());
        Assert.Null(withoutLines[1]["metaData"]!["version"]);
        Assert.Equal(withLines[1]["metaData"]!["schemaString"]!.GetValue<string>(), withoutLines[1]["metaData"]!["schemaString"]!.GetValue<string>());
        Assert.Equal(["protocol", "metaData", "cdf"], withLines.Select(l => l.Single().Key));
    }

    [Fact]
    public async Task Changes_AmendmentAddedAField_TheNewVersionReplacesTheTableWithItsMetadataAndTheOldFileKeepsItsObligations()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, shareToken) = await SetUpAsync(gateway);
        var before = await RowsEndpointAsync(gateway, client);
        using var oldBearer = gateway.Client("Bearer", shareToken);
        using var oldQuery = await oldBearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{}"));
        var servedBefore = (await LinesAsync(oldQuery))[2]["file"]!["id"]!.GetValue<string>();
        var amended = AmendedWith("      - { name: ward, type: string, classification: plain }\n");
        using var upload = await gateway.UploadAsync(amended, gateway.Sign(amended));
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        var definition = Concordat.Agreements.AgreementReader.Read(amended, "amended.yaml").Agreement!.Datasets.Single();
        using var import = await gateway.ImportAsync(Table, SampleRows.Csv(definition, 12, "research", "NL"));
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));
        var after = await RowsEndpointAsync(gateway, client);

        using var withMetadata = await bearer.GetAsync($"{ChangesPath}?startingVersion=0&includeHistoricalMetadata=true");
        using var without = await bearer.GetAsync($"{ChangesPath}?startingVersion=0");
        using var query = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":1}"));
        var (lines, withoutLines, queryLines) = (await LinesAsync(withMetadata), await LinesAsync(without), await LinesAsync(query));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (upload.StatusCode, import.StatusCode));
        Assert.Equal(["protocol", "metaData", "add", "metaData", "remove", "add"], lines.Select(l => l.Single().Key));
        Assert.Equal(["protocol", "metaData", "add", "remove", "add"], withoutLines.Select(l => l.Single().Key));
        Assert.Equal(lines.Select(l => l.Single().Key), queryLines.Select(l => l.Single().Key));
        var (first, second) = (lines[1]["metaData"]!, lines[3]["metaData"]!);
        Assert.Equal((1, 2), (first["version"]!.GetValue<int>(), second["version"]!.GetValue<int>()));
        Assert.DoesNotContain("\"ward\"", first["schemaString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("\"ward\"", second["schemaString"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(second["schemaString"]!.GetValue<string>(), withoutLines[1]["metaData"]!["schemaString"]!.GetValue<string>());
        Assert.Null(withoutLines[1]["metaData"]!["version"]);

        // Version 1, served after the amendment under the rules in force, is the very file served before it.
        var (added, removed, replacing) = (lines[2]["add"]!, lines[4]["remove"]!, lines[5]["add"]!);
        Assert.Equal([servedBefore, servedBefore], new[] { added["id"]!.GetValue<string>(), removed["id"]!.GetValue<string>() });
        Assert.Equal(2, removed["version"]!.GetValue<int>());
        ParquetRead.HyparquetUrl(new Uri(removed["url"]!.GetValue<string>())).AssertMatches(before);
        var read = ParquetRead.HyparquetUrl(new Uri(replacing["url"]!.GetValue<string>()));
        read.AssertMatches(after);
        Assert.Contains(read.Columns, c => c.Name == "ward");
    }

    [Fact]
    public async Task Query_StartingVersionAfterAnAmendmentRemovedAField_TheOlderVersionsFilesNoLongerCarryIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var amended = AmendedWith(string.Empty).Replace("      - { name: diagnosis_code, type: string, classification: sensitive }\n", string.Empty, StringComparison.Ordinal);
        using var upload = await gateway.UploadAsync(amended, gateway.Sign(amended));
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        var definition = Concordat.Agreements.AgreementReader.Read(amended, "amended.yaml").Agreement!.Datasets.Single();
        using var import = await gateway.ImportAsync(Table, SampleRows.Csv(definition, 12, "research", "NL"));
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));

        using var query = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":1}"));
        var lines = await LinesAsync(query);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (upload.StatusCode, import.StatusCode));
        Assert.DoesNotContain(definition.Fields, f => f.Name.Value == "diagnosis_code");

        // The schema the recipient sees did not change (the field is gone from both), so no historical metaData line.
        Assert.Equal(["protocol", "metaData", "add", "remove", "add"], lines.Select(l => l.Single().Key));
        Assert.DoesNotContain("diagnosis_code", lines[1]["metaData"]!["schemaString"]!.GetValue<string>(), StringComparison.Ordinal);
        var older = ParquetRead.HyparquetUrl(new Uri(lines[3]["remove"]!["url"]!.GetValue<string>()));
        Assert.Equal(20, older.Rows.Count);
        Assert.DoesNotContain(older.Columns, c => c.Name is "diagnosis_code" or "name");
        Assert.Equal(lines[2]["add"]!["id"]!.GetValue<string>(), lines[3]["remove"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_AmendmentChangedAFieldsType_RefusesRangesTouchingTheOlderVersion()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var amended = AmendedWith(string.Empty).Replace("{ name: diagnosis_code, type: string", "{ name: diagnosis_code, type: integer", StringComparison.Ordinal);
        using var upload = await gateway.UploadAsync(amended, gateway.Sign(amended));
        gateway.Clock.Advance(TimeSpan.FromHours(1));
        var definition = Concordat.Agreements.AgreementReader.Read(amended, "amended.yaml").Agreement!.Datasets.Single();
        using var import = await gateway.ImportAsync(Table, SampleRows.Csv(definition, 12, "research", "NL"));
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));

        using var touching = await bearer.GetAsync($"{ChangesPath}?startingVersion=2");
        using var query = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":1}"));
        using var later = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{}"));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (upload.StatusCode, import.StatusCode));
        var error = await AssertProtocolErrorAsync(touching, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("GW6267", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProtocolErrorAsync(query, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal(["protocol", "metaData", "file"], (await LinesAsync(later)).Select(l => l.Single().Key));
    }

    [Fact]
    public async Task Query_StartingVersionAnotherRecipientsShare_IsNotFound()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var otherBearer = await OtherRecipientAsync(gateway);

        using var response = await otherBearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{\"startingVersion\":0}"));

        await AssertProtocolErrorAsync(response, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [InlineData("{\"startingVersion\":1,\"version\":1}")]
    [InlineData("{\"endingVersion\":1}")]
    [InlineData("{\"startingVersion\":-1}")]
    [InlineData("{\"startingVersion\":\"1\"}")]
    [InlineData("{\"startingVersion\":9}")]
    [InlineData("{\"startingVersion\":1,\"endingVersion\":0}")]
    [InlineData("{\"timestamp\":\"2026-01-01T00:00:00Z\"}")]
    [InlineData("{\"startingVersion\":1,\"includeHistoricalMetadata\":\"yes\"}")]
    public async Task Query_BadVersionRange_AnswersTheProtocolErrorShapeAndLogsTheRefusal(string body)
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);

        using var response = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json(body));

        await AssertProtocolErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Equal("gateway.refusal/v1", (await gateway.LogEntriesAsync())[^1]["type"]!.GetValue<string>());
    }

    // Spec: the members PROTOCOL.md's "Data Change Files" tables and examples give each action (`stats` only on `add`),
    // plus `expirationTimestamp`, which this server always returns.
    private static void AssertSpecMembers(JsonObject line)
    {
        var (kind, action) = line.Single();
        string[] expected = ["url", "id", "partitionValues", "size", "timestamp", "version", "expirationTimestamp", .. kind == "add" ? new[] { "stats" } : []];
        Assert.Contains(kind, new[] { "add", "cdf", "remove" });
        Assert.Equal(expected.Order(StringComparer.Ordinal), action!.AsObject().Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.True(action["size"]!.GetValue<long>() > 0);
        Assert.Empty(action["partitionValues"]!.AsObject());
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
    [InlineData("?startingVersion=1&includeHistoricalMetadata=maybe", null, 400, "INVALID_PARAMETER_VALUE")]
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

    // Version 2 of the share's agreement, with `field` (a YAML line, or nothing) declared after the residency field.
    private static string AmendedWith(string field) =>
        File.ReadAllText(TestGateway.SamplePath(Share))
            .Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal)
            .Replace("      - { name: residency, type: string, classification: plain }\n", "      - { name: residency, type: string, classification: plain }\n" + field, StringComparison.Ordinal);

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
