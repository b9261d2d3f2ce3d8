using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Gateway.Tests.Aggregates;

/// <summary>The clean room over real HTTP: noisy aggregates under the hospital sample's cohort-statistics grant, its privacy budget and the log of every spend.</summary>
public abstract class AggregatesScenarios : GatewayScenarios
{
    private static readonly string[] s_diagnoses = ["I50.9", "I10", "I25.10", "I48.91", "E11.9", "I21.4", "J44.9", "N18.3"];

    private protected static string ByDiagnosis(string rho) => $$"""
        { "dimensions": [{ "field": "diagnosis_code", "domain": [{{string.Join(", ", s_diagnoses.Select(d => $"\"{d}\""))}}] }],
          "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "{{rho}}" }
        """;

    [Fact]
    public async Task Query_CohortGrant_AnswersEveryDeclaredGroupShownOrSuppressedAndLogsTheSpendNeverTheValues()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        using var response = await QueryAsync(bearer, ByDiagnosis("1/1000"));

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(8, body["groups"]!.AsArray().Count + body["suppressedGroups"]!.GetValue<int>());
        Assert.Equal("1/1000", body["budget"]!["spent"]!.GetValue<string>());
        var entries = await gateway.LogEntriesAsync();
        var spent = Assert.Single(entries, e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
        var decision = entries.FindIndex(e => e["body"]!["decisionId"]?.GetValue<string>() == body["decisionId"]!.GetValue<string>());
        Assert.True(decision >= 0 && decision < entries.IndexOf(spent));
        Assert.Equal(body["queryDigest"]!.GetValue<string>(), spent["body"]!["queryDigest"]!.GetValue<string>());
        Assert.Equal("1/1000", spent["body"]!["rho"]!.GetValue<string>());
        Assert.DoesNotContain("patients", spent.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_AcceptCsv_AnswersCsvWithTheSuppressedGroupCountInAHeader()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        using var response = await QueryAsync(bearer, ByDiagnosis("1/1000"), "text/csv");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("diagnosis_code,patients\r\n", text, StringComparison.Ordinal);
        var suppressed = int.Parse(response.Headers.GetValues("Concordat-Suppressed-Groups").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(8, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1 + suppressed);
    }

    [Fact]
    public async Task Query_StoreCannotBeReachedForTheBudgetsLock_Returns503AndSpendsNothing()
    {
        await using var gateway = await StartAsync(overrides: StoreLockFails.Override("privacy-budget"));
        using var bearer = await AggregateTokenAsync(gateway);

        using var response = await QueryAsync(bearer, ByDiagnosis("1/1000"));

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "GW6021");
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
    }

    [Fact]
    public async Task Query_DryRunThenOverspend_PricesAndRefusesWithoutSpendingAnything()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        using var dryRun = await QueryAsync(bearer, ByDiagnosis("1/1000"), dryRun: true);
        using var overspend = await QueryAsync(bearer, ByDiagnosis("1"));

        var quote = (await dryRun.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        Assert.Equal("1/1000", quote["cost"]!.GetValue<string>());
        Assert.Equal("0", quote["spent"]!.GetValue<string>());
        var problem = await AssertProblemAsync(overspend, HttpStatusCode.Forbidden, "GW6551");
        Assert.Equal(quote["remaining"]!.GetValue<string>(), problem["remaining"]!.GetValue<string>());
        var budgets = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/budgets"))!;
        Assert.Equal("0", Assert.Single(budgets)!["spent"]!.GetValue<string>());
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
    }

    [Theory]
    [InlineData("""{ "measures": [{ "name": "ef", "kind": "sum", "field": "ejection_fraction", "lower": 0, "upper": 100 }], "rho": "1/1000" }""", "`measures[0].field`")]
    [InlineData("""{ "measures": [{ "name": "n", "kind": "count" }], "rho": "1/1000", "groupBy": [] }""", "`groupBy`")]
    [InlineData("""{ "dimensions": [{ "field": "ward", "domain": ["x"] }], "measures": [{ "name": "n", "kind": "count" }], "rho": "1/1000" }""", "`dimensions[0].field`")]
    public async Task Query_BadQuery_Returns400NamingTheMemberAndSpendsNothing(string query, string member)
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        using var response = await QueryAsync(bearer, query);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6550");
        Assert.Contains(problem["diagnostics"]!.AsArray(), d => d!.GetValue<string>().Contains(member, StringComparison.Ordinal));
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
    }

    [Fact]
    public async Task Query_ReadRowsTokenWhereTheRecipientMayAlsoAggregate_Returns403WrongActionAndSpendsNothing()
    {
        await using var gateway = await StartAsync();
        using var rows = await AggregateTokenAsync(gateway, action: "read-rows");

        using var response = await QueryAsync(rows, ByDiagnosis("1/1000"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6554");
        Assert.Contains("`read-rows`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
    }

    [Fact]
    public async Task ReadRows_AggregateQueryToken_Returns403WrongActionAndSendsNoRow()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        using var response = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6554");
        Assert.Contains("`aggregate-query`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_FieldTheGrantsAggregatesDoNotList_Returns400NamingTheMemberAndSpendsNothing()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, CohortGrantWith("""
                aggregates: { dimensions: [residency], maxGroupsPerEntity: 2 }
            """));

        using var response = await QueryAsync(bearer, ByDiagnosis("1/1000"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6550");
        var diagnostic = Assert.Single(problem["diagnostics"]!.AsArray())!.GetValue<string>();
        Assert.Contains("GW6511", diagnostic, StringComparison.Ordinal);
        Assert.Contains("`dimensions[0].field`", diagnostic, StringComparison.Ordinal);
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
    }

    [Fact]
    public async Task Budgets_GrantWithALifetimeCap_ShowsTheCapAndItsCapacity()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);

        var budget = Assert.Single((await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;

        Assert.Equal(12.0, budget["lifetimeEpsilon"]!.GetValue<double>());
        Assert.True(Rational.TryParse(budget["lifetimeCapacity"]!.GetValue<string>(), out var lifetime));
        Assert.True(Rational.TryParse(budget["capacity"]!.GetValue<string>(), out var period));
        Assert.True(lifetime >= period && lifetime != period);
    }

    [Fact]
    public async Task Query_JoinedWithTheRecipientsOwnTable_CountsOnlyItsKeysWhichAreNeverStoredRaw()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, JoinableCohort());
        var known = Enumerable.Range(0, 120).Select(PatientId);
        var unknown = Enumerable.Range(0, 30).Select(i => $"X-{i:D6}");
        var csv = "patient_id,arm\r\n" + string.Concat(known.Concat(unknown).Select((id, i) => $"{id},{(i % 2 == 0 ? "treated" : "control")}\r\n"));

        using var upload = await UploadTableAsync(bearer, "my-patients", "key=patient_id&fields=patient_id:string,arm:string", csv);
        using var joined = await QueryAsync(bearer, """{ "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "5", "join": { "table": "my-patients", "on": "patient_id" } }""");

        var table = (await upload.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(upload.StatusCode == HttpStatusCode.Created, table.ToJsonString());
        Assert.Equal((150, 150), (table["rows"]!.GetValue<int>(), table["keys"]!.GetValue<int>()));
        var body = (await joined.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(joined.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var patients = Assert.Single(body["groups"]!.AsArray())!["values"]!["patients"]!.GetValue<decimal>();
        Assert.InRange(patients, 117, 123);
        foreach (var file in Directory.EnumerateFiles(gateway.Workspace, "*", SearchOption.AllDirectories).Where(f => f.Contains("recipient-tables", StringComparison.Ordinal)))
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain(PatientId(0), text, StringComparison.Ordinal);
            Assert.DoesNotContain("X-000000", text, StringComparison.Ordinal);
            Assert.DoesNotContain("treated", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Query_GroupedByAColumnOfTheRecipientsOwnTable_CountsEachGroupAndKeepsNoRawKey()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, JoinableCohort());
        var csv = "patient_id,arm\r\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"{PatientId(i)},{(i < 40 ? "treated" : "control")}\r\n"));

        using var upload = await UploadTableAsync(bearer, "my-patients", "key=patient_id&fields=patient_id:string,arm:string&dimensions=arm", csv);
        using var grouped = await QueryAsync(bearer, """{ "dimensions": [{ "field": "arm", "from": "join", "domain": ["treated", "control"] }], "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "5", "join": { "table": "my-patients", "on": "patient_id" } }""");
        using var unlisted = await QueryAsync(bearer, """{ "dimensions": [{ "field": "patient_id", "from": "join", "domain": ["x"] }], "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "1/1000", "join": { "table": "my-patients", "on": "patient_id" } }""");

        var table = (await upload.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(upload.StatusCode == HttpStatusCode.Created, table.ToJsonString());
        Assert.Equal("arm", Assert.Single(table["dimensions"]!.AsArray())!.GetValue<string>());
        var body = (await grouped.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(grouped.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var groups = body["groups"]!.AsArray().ToDictionary(g => g!["key"]!["arm"]!.GetValue<string>(), g => g!["values"]!["patients"]!.GetValue<decimal>());
        Assert.InRange(groups["treated"], 37, 43);
        Assert.InRange(groups["control"], 77, 83);
        var problem = await AssertProblemAsync(unlisted, HttpStatusCode.BadRequest, "GW6550");
        Assert.Contains(problem["diagnostics"]!.AsArray(), d => d!.GetValue<string>().Contains("GW6511", StringComparison.Ordinal) && d.GetValue<string>().Contains("`dimensions[0].field`", StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(gateway.Workspace, "*", SearchOption.AllDirectories).Where(f => f.Contains("recipient-tables", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(PatientId(0), await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Query_JoinWithATableNotUploadedOrOnAFieldTheGrantDoesNotList_Returns400NamingTheMember()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, JoinableCohort());

        using var missing = await QueryAsync(bearer, """{ "measures": [{ "name": "n", "kind": "count" }], "rho": "1/1000", "join": { "table": "nothing", "on": "patient_id" } }""");
        using var unlisted = await QueryAsync(bearer, """{ "measures": [{ "name": "n", "kind": "count" }], "rho": "1/1000", "join": { "table": "nothing", "on": "name" } }""");

        var first = await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "GW6550");
        Assert.Contains(first["diagnostics"]!.AsArray(), d => d!.GetValue<string>().Contains("GW6512", StringComparison.Ordinal) && d.GetValue<string>().Contains("`join.table`", StringComparison.Ordinal));
        var second = await AssertProblemAsync(unlisted, HttpStatusCode.BadRequest, "GW6550");
        Assert.Contains(second["diagnostics"]!.AsArray(), d => d!.GetValue<string>().Contains("GW6511", StringComparison.Ordinal) && d.GetValue<string>().Contains("`join.on`", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("key=patient_id", "GW6555")]
    [InlineData("key=arm&fields=patient_id:string,arm:decimal", "GW6555")]
    [InlineData("key=patient_id&fields=patient_id:integer", "GW6016")]
    public async Task UploadTable_BadDeclarationOrRows_RefusedAndNothingStored(string declaration, string code)
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, JoinableCohort());

        using var upload = await UploadTableAsync(bearer, "mine", declaration, "patient_id\r\nP-100000\r\n");

        await AssertProblemAsync(upload, code == "GW6016" ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.BadRequest, code);
        Assert.False(Directory.Exists(Path.Combine(gateway.Workspace, "recipient-tables")) && Directory.EnumerateFiles(Path.Combine(gateway.Workspace, "recipient-tables"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Budgets_ARecipient_SeesOnlyItsOwnGrants()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, TwoRecipientHospital().Replace("""
                actions: [read-rows]
                fieldRules:
                  - { field: patient_id, rule: pseudonymise }
                  - { field: name, rule: drop }
                jurisdictions: [DE]
            """, """
                actions: [read-rows, aggregate-query]
                fieldRules:
                  - { field: patient_id, rule: pseudonymise }
                  - { field: name, rule: drop }
                jurisdictions: [DE]
                privacyBudget: { epsilon: 0.5, delta: 0, period: P1D }
                minGroupSize: 5
            """, StringComparison.Ordinal));

        var mine = (await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!;
        var all = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/budgets"))!;

        Assert.Equal(["cohort-statistics"], mine.Select(b => b!["grant"]!.GetValue<string>()));
        Assert.Equal(["cohort-statistics", "southwind-rows"], all.Select(b => b!["grant"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Budgets_AfterTwoHundredQueries_EqualTheSpendFoldedFromTheLogByThePureLibrary()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway);
        string[] rhos = ["1/100000", "1/30000", "3/200000"];

        for (var i = 0; i < 200; i++)
        {
            using var response = await QueryAsync(bearer, ByDiagnosis(rhos[i % rhos.Length]));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var reported = Assert.Single((await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        var (key, rho, queries, _) = Assert.Single(await SpentInLogAsync(gateway));
        Assert.Equal(200, queries);
        Assert.Equal(reported["rhoSpent"]!.GetValue<string>(), rho.ToString());
        Assert.Equal(reported["queries"]!.GetValue<int>(), queries);
        Assert.Equal("cohort-statistics", key.Grant.Value);
        Assert.True(Rational.TryParse(reported["spent"]!.GetValue<string>(), out var spent) && spent == rho);
    }

    [Fact]
    public async Task Budgets_AfterQuantileQueries_EqualTheSpendFoldedFromTheLogByThePureLibrary()
    {
        // The sample has no integer field; this copy measures ejection fractions as whole numbers (1000 + row, as
        // SampleRows writes integers), which a quantile needs.
        const string Quantile = """
            { "measures": [{ "name": "median", "kind": "quantile", "field": "ejection_fraction", "lower": 1000, "upper": 1255, "quantile": "1/2" }], "rho": "1/1000" }
            """;
        const string Decimal = "- { name: ejection_fraction, type: decimal, classification: sensitive }";
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        Assert.Contains(Decimal, yaml, StringComparison.Ordinal);
        await using var gateway = await StartAsync();
        var sample = TestGateway.ReadSample(Hospital).Datasets[0];
        var rows = sample with { Fields = [.. sample.Fields.Select(f => f.Name.Value == "ejection_fraction" ? f with { Type = FieldType.Integer } : f)] };
        using var bearer = await AggregateTokenAsync(gateway, yaml.Replace(Decimal, Decimal.Replace("decimal", "integer", StringComparison.Ordinal), StringComparison.Ordinal), rows: rows);

        for (var i = 0; i < 5; i++)
        {
            using var response = await QueryAsync(bearer, i % 2 == 0 ? Quantile : ByDiagnosis("1/1000"));
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        }

        var reported = Assert.Single((await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        var (_, rho, queries, _) = Assert.Single(await SpentInLogAsync(gateway));
        Assert.Equal(5, queries);
        Assert.Equal("1/200", rho.ToString());
        Assert.Equal(reported["rhoSpent"]!.GetValue<string>(), rho.ToString());
        Assert.True(Rational.TryParse(reported["spent"]!.GetValue<string>(), out var spent) && spent == rho);
        var quantiles = (await gateway.LogEntriesAsync())
            .Where(e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType && e["body"]!["releases"]!.AsArray().Count > 1)
            .ToList();
        // The distinct-entity count and the search's ⌈log₂ 256⌉ = 8 steps, each a release of its own in the log.
        Assert.Equal(3, quantiles.Count);
        Assert.All(quantiles, e => Assert.Equal(9, e["body"]!["releases"]!.AsArray().Count));
    }

    [Fact]
    public async Task Query_PartitionSelection_ShowsTheGroupsTheDataHasAndChargesItsDeltaWhichTheLogReproduces()
    {
        await using var gateway = await StartAsync();
        using var bearer = await AggregateTokenAsync(gateway, CohortGrantWith("""
                aggregates: { partitionSelection: true }
            """).Replace("privacyBudget: { epsilon: 1.0, delta: 1.0e-6, period: P30D, lifetimeEpsilon: 12.0 }", "privacyBudget: { epsilon: 10, delta: 1.0e-6, period: P30D, lifetimeEpsilon: 100 }", StringComparison.Ordinal));
        var before = Assert.Single((await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;

        using var response = await QueryAsync(bearer, """{ "dimensions": [{ "field": "diagnosis_code" }], "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "1/10", "partitionDelta": "1/10000000" }""");

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        // 25 patients per diagnosis against a threshold of 14 (σ² = 5, δ = 10^-7): every group the data has is shown.
        Assert.Equal(s_diagnoses.Order(StringComparer.Ordinal), body["groups"]!.AsArray().Select(g => g!["key"]!["diagnosis_code"]!.GetValue<string>()));
        var spent = Assert.Single(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == PrivacySpendEntry.EntryType);
        Assert.Equal("1/10000000", spent["body"]!["releases"]![0]!["delta"]!.GetValue<string>());
        var after = Assert.Single((await bearer.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        Assert.NotEqual(before["capacity"]!.GetValue<string>(), after["capacity"]!.GetValue<string>());
        var (_, rho, queries, delta) = Assert.Single(await SpentInLogAsync(gateway));
        Assert.Equal((after["rhoSpent"]!.GetValue<string>(), 1), (rho.ToString(), queries));
        Assert.Equal(("1/10000000", "1/10000000"), (after["deltaSpent"]!.GetValue<string>(), delta.ToString()));
    }

    /// <summary>Every budget's spend folded from the gateway's log by the pure library, as <c>concordat budget recompute</c> folds it.</summary>
    private protected static async Task<IReadOnlyList<(BudgetKey Key, Rational Rho, int Queries, Rational Delta)>> SpentInLogAsync(TestGateway gateway)
    {
        var spends = (await gateway.LogEntriesAsync())
            .Select(e => LogEntry.TryParse(Convert.FromBase64String(e["bytes"]!.GetValue<string>()), out var entry, out _) ? entry : null)
            .Select(e => e is not null && PrivacySpendEntry.TryRead(e, out var spend) ? spend : null)
            .OfType<PrivacySpend>();
        return new PrivacyLedger(spends).Totals();
    }

    /// <summary>The sample's patient id of row <paramref name="i"/> (as <c>SampleRows</c> writes it).</summary>
    private static string PatientId(int i) => $"P-{100000 + (i * 7919 % 900000):D6}";

    /// <summary>The hospital sample whose cohort grant lets queries join on <c>patient_id</c>, with a budget large enough for nearly exact answers.</summary>
    private static string JoinableCohort() => CohortGrantWith("""
                aggregates: { joinKeys: [patient_id], joinDimensions: [arm] }
            """).Replace("privacyBudget: { epsilon: 1.0, delta: 1.0e-6, period: P30D, lifetimeEpsilon: 12.0 }", "privacyBudget: { epsilon: 100, delta: 1.0e-6, period: P30D, lifetimeEpsilon: 1000 }", StringComparison.Ordinal);

    private static Task<HttpResponseMessage> UploadTableAsync(HttpClient bearer, string table, string declaration, string csv) =>
        bearer.PutAsync($"/v1/datasets/{HospitalDataset}/recipient-tables/{table}?{declaration}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    /// <summary>The hospital sample with <paramref name="lines"/> added to its cohort-statistics grant.</summary>
    private static string CohortGrantWith(string lines) =>
        File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace(
            "    minGroupSize: 10\n",
            "    minGroupSize: 10\n" + lines + "\n",
            StringComparison.Ordinal);

    private protected static Task<HttpResponseMessage> QueryAsync(HttpClient bearer, string query, string? accept = null, bool dryRun = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/datasets/{HospitalDataset}/aggregates{(dryRun ? "?dryRun=true" : string.Empty)}")
        {
            Content = new StringContent(query, Encoding.UTF8, "application/json"),
        };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return bearer.SendAsync(request);
    }

    /// <summary>Installs the hospital sample (or <paramref name="yaml"/>), imports 200 rows (of <paramref name="rows"/>' fields, else the sample's) and returns a bearer of an aggregate-query token (or a token for <paramref name="action"/>).</summary>
    private protected static async Task<HttpClient> AggregateTokenAsync(TestGateway gateway, string? yaml = null, string action = "aggregate-query", DatasetDefinition? rows = null)
    {
        if (yaml is null)
        {
            await gateway.InstallSampleAsync(Hospital);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        }

        var definition = rows ?? TestGateway.ReadSample(Hospital).Datasets[0];
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(definition, 200, "research;evaluation", "DE"))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "analysis");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "evaluation", "DE", action);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, token.ToJsonString());
        return gateway.Client("Bearer", token["token"]!.GetValue<string>());
    }
}
