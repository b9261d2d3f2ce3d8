using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Json.Schema;

namespace Concordat.Gateway.Tests;

/// <summary>
/// Real answers of every operation, a success and a problem each, validated against the schemas of the OpenAPI
/// document the gateway serves (JSON Schema 2020-12): the document describes what the gateway answers, not what
/// its types suggest. Every folder's operations are answered here, so the test is in the project's root.
/// </summary>
public sealed class OpenApiResponsesTests
{
    private const string Hospital = "hospital-research";
    private const string Recipient = "northwind-research";
    private const string Dataset = "cardiology-records";

    [Fact]
    public async Task EveryOperation_SuccessAndProblemAnswers_MatchTheServedDocument()
    {
        await using var gateway = await TestGateway.StartAsync();
        var recorder = new Recorder();
        using var op = Client(gateway, recorder, "Bearer", GatewayWorkspace.ReadAdminKey(gateway.Workspace)!);
        using var anonymous = Client(gateway, recorder, null, null);
        using var stranger = Client(gateway, recorder, "Bearer", "cdt_unknown");

        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        await op.PostAsJsonAsync("/v1/agreements", new { document = yaml, signatures = gateway.Sign(yaml) });
        await op.PostAsJsonAsync("/v1/agreements", new { document = yaml, signatures = gateway.Sign(yaml) });
        await op.PostAsJsonAsync("/v1/agreements", new { document = "concordat: [1\n" });
        var agreement = TestGateway.ReadSample(Hospital);
        await op.PostAsync($"/v1/datasets/{Dataset}/versions", new StringContent(SampleRows.Csv(agreement.Datasets[0], 5, "research", "DE"), Encoding.UTF8, "text/csv"));
        await op.PostAsync($"/v1/datasets/{Dataset}/versions", new StringContent("x,y\n1,2\n", Encoding.UTF8, "text/csv"));
        await op.GetAsync("/v1/agreements");
        await op.GetAsync($"/v1/agreements/{Hospital}/diff?from=1&to=1");
        await op.GetAsync($"/v1/agreements/{Hospital}/diff?from=1&to=9");
        await op.GetAsync($"/v1/agreements/{Hospital}/diff?from=0&to=1");
        var identity = await (await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/identities", new { role = "training" })).Content.ReadFromJsonAsync<JsonObject>();
        await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/identities", new { role = "nobody" });
        using var client = Client(gateway, recorder, "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{identity!["clientId"]}:{identity["clientSecret"]}")));
        var token = await (await client.PostAsJsonAsync("/v1/tokens", new { dataset = Dataset, purpose = "research", jurisdiction = "DE" })).Content.ReadFromJsonAsync<JsonObject>();
        await client.PostAsJsonAsync("/v1/tokens", new { dataset = Dataset, purpose = "marketing", jurisdiction = "DE" });
        await client.PostAsJsonAsync("/v1/delta-sharing/profiles", new { purpose = "research", jurisdiction = "DE" });
        using var bearer = Client(gateway, recorder, "Bearer", token!["token"]!.GetValue<string>());
        var rows = await bearer.GetAsync($"/v1/datasets/{Dataset}/rows");
        await rows.Content.ReadAsByteArrayAsync();
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        using (var ndjson = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{Dataset}/rows"))
        {
            ndjson.Headers.TryAddWithoutValidation("Accept", "application/json");
            await bearer.SendAsync(ndjson);
        }

        await Eventually.HoldsAsync(async () => (await op.GetAsync($"/v1/receipts/{decisionId}")).IsSuccessStatusCode, "the receipt is written");
        await bearer.GetAsync("/v1/receipts/dec_000000000000000000000000");
        await Eventually.HoldsAsync(async () => (await op.GetAsync($"/v1/attestations/egress/{decisionId}")).IsSuccessStatusCode, "the egress is attested");
        await bearer.GetAsync("/v1/attestations");
        await anonymous.GetAsync("/v1/attestations/key");
        await op.GetAsync($"/v1/attestations/dataset-versions/{Dataset}/1");
        await op.GetAsync($"/v1/attestations/dataset-versions/{Dataset}/0");
        await bearer.GetAsync($"/v1/attestations/egress/{decisionId}");
        await bearer.GetAsync("/v1/attestations/egress/dec_000000000000000000000000");
        var model = new { name = "model-a", version = "1", checkpoints = new[] { new { name = "weights.bin", sha256 = "sha256:" + new string('0', 64) } }, trainingConfig = "sha256:" + new string('1', 64), inputs = new[] { new { kind = "egress", id = decisionId } }, trainer = Recipient, purpose = "research" };
        await op.PostAsJsonAsync("/v1/models", model);
        await op.PostAsJsonAsync("/v1/models", model);
        await op.PostAsJsonAsync("/v1/models", model with { purpose = "marketing", version = "2" });
        await op.PostAsJsonAsync("/v1/models", model with { inputs = new[] { new { kind = "egress", id = "dec_000000000000000000000000" } }, version = "3" });
        await op.GetAsync("/v1/models");
        await op.GetAsync("/v1/models/model-a@1");
        await op.GetAsync("/v1/models/model-a@9");
        await op.GetAsync("/v1/attestations/models/model-a@1");
        await op.GetAsync("/v1/attestations/models/model-a@9");
        await op.GetAsync($"/v1/lineage/impact?dataset={Dataset}&version=1");
        await op.GetAsync($"/v1/lineage/impact?dataset={Dataset}");
        await bearer.GetAsync($"/v1/lineage/upstream?subject={decisionId}");
        await bearer.GetAsync("/v1/lineage/upstream?subject=dec_000000000000000000000000");
        await bearer.GetAsync($"/v1/lineage/show?subject={decisionId}");
        await bearer.GetAsync("/v1/lineage/show?subject=dec_000000000000000000000000");
        await bearer.GetAsync("/v1/log/mine");
        await op.GetAsync("/v1/retention");
        var retention = await (await bearer.GetAsync("/v1/retention")).Content.ReadFromJsonAsync<JsonObject>();
        var sha256 = retention!["items"]!.AsArray().First(i => i!["decisionId"]!.GetValue<string>() == decisionId)!["sha256"]!.GetValue<string>();
        var deletion = Concordat.Attestations.Attestation.Sign(Concordat.Retention.DeletionAttestation.Statement(new Concordat.Retention.DeletionClaim(
            new Concordat.Agreements.PartyId(Recipient), gateway.Clock.GetUtcNow(), [new Concordat.Retention.DeletedEgress(new Concordat.Decisions.DecisionId(decisionId), Concordat.Core.Sha256Digest.Parse(sha256))])), gateway.SignerKey(Recipient)).ToJson();
        var accepted = await (await bearer.PostAsync("/v1/retention/attestations", new ByteArrayContent(deletion) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } })).Content.ReadFromJsonAsync<JsonObject>();
        await bearer.GetAsync($"/v1/attestations/deletions/{Recipient}/{accepted!["envelope"]!.GetValue<string>()["sha256:".Length..]}");
        await bearer.GetAsync($"/v1/attestations/deletions/{Recipient}/{new string('0', 64)}");
        await bearer.PostAsync("/v1/retention/attestations", new ByteArrayContent(deletion) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } });
        var diligence = Concordat.Attestations.Attestation.Sign(new Concordat.Diligence.DiligenceRecord(new Concordat.Diligence.DiligenceScore(Recipient, "q", 1, 90, 75, []), "assessor", gateway.Clock.GetUtcNow()).Statement(Concordat.Core.Sha256Digest.Compute("q"u8), Concordat.Core.Sha256Digest.Compute("a"u8)), gateway.SignerKey(Recipient)).ToJson();
        await op.PostAsync("/v1/diligence", new ByteArrayContent(diligence) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        await op.PostAsync("/v1/diligence", new ByteArrayContent(deletion) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        await op.GetAsync("/v1/diligence");
        await op.PostAsJsonAsync("/v1/decisions", new { recipient = Recipient, dataset = Dataset, purpose = "research", jurisdiction = "DE", action = "read-rows" });
        await op.PostAsJsonAsync("/v1/decisions", new { recipient = Recipient });
        await op.GetAsync("/v1/access-review");
        var incident = await (await op.PostAsJsonAsync("/v1/incidents", new { severity = "high", suspected = "a test", triageOwner = "alice", agreements = new[] { Hospital }, recipients = new[] { Recipient } })).Content.ReadFromJsonAsync<JsonObject>();
        var incidentId = incident!["id"]!.GetValue<string>();
        await op.PostAsJsonAsync("/v1/incidents", new { severity = "dire" });
        await op.GetAsync("/v1/incidents");
        await op.GetAsync($"/v1/incidents/{incidentId}");
        await op.GetAsync("/v1/incidents/inc_unknown");
        await op.PostAsJsonAsync($"/v1/incidents/{incidentId}/acts", new { act = "notify", actor = "alice", whom = "authority:DE" });
        await op.PostAsJsonAsync($"/v1/incidents/{incidentId}/acts", new { act = "notify", actor = "alice" });
        await op.GetAsync($"/v1/incidents/{incidentId}/postmortem");
        await op.PostAsJsonAsync($"/v1/incidents/{incidentId}/acts", new { act = "close", actor = "alice", rootCause = "a test" });
        await op.GetAsync($"/v1/incidents/{incidentId}/postmortem");
        await op.PostAsync("/v1/indicators", new StringContent("""{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[]}""", System.Text.Encoding.UTF8, "application/json"));
        await op.PostAsync("/v1/indicators", new StringContent("""{"type":"indicator"}""", System.Text.Encoding.UTF8, "application/json"));
        var report = await (await anonymous.PostAsJsonAsync("/v1/reports", new { kind = "vulnerability", summary = "a test", details = "steps", agreement = Hospital })).Content.ReadFromJsonAsync<JsonObject>();
        await anonymous.PostAsJsonAsync("/v1/reports", new { kind = "rumour", summary = "a test" });
        using (var status = new HttpRequestMessage(HttpMethod.Get, $"/v1/reports/{report!["id"]}"))
        {
            status.Headers.TryAddWithoutValidation("Report-Secret", report["secret"]!.GetValue<string>());
            await anonymous.SendAsync(status);
        }

        await anonymous.GetAsync($"/v1/reports/{report["id"]}");
        await op.GetAsync($"/v1/reports/{report["id"]}/content");
        await op.GetAsync("/v1/reports/rep_unknown/content");
        var analyst = await (await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/identities", new { role = "analysis" })).Content.ReadFromJsonAsync<JsonObject>();
        using var analystClient = Client(gateway, recorder, "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{analyst!["clientId"]}:{analyst["clientSecret"]}")));
        var aggregateToken = await (await analystClient.PostAsJsonAsync("/v1/tokens", new { dataset = Dataset, purpose = "evaluation", jurisdiction = "DE", action = "aggregate-query" })).Content.ReadFromJsonAsync<JsonObject>();
        using var aggregateBearer = Client(gateway, recorder, "Bearer", aggregateToken!["token"]!.GetValue<string>());
        await aggregateBearer.PostAsync($"/v1/datasets/{Dataset}/aggregates", new StringContent("""{"measures":[{"name":"n","kind":"count-distinct"}],"rho":"1/1000"}""", Encoding.UTF8, "application/json"));
        await aggregateBearer.PutAsync($"/v1/datasets/{Dataset}/recipient-tables/mine?key=id&fields=id:string", new StringContent("id\r\nP-100000\r\n", Encoding.UTF8, "text/csv"));
        await aggregateBearer.PutAsync($"/v1/datasets/{Dataset}/recipient-tables/mine?key=id", new StringContent("id\r\n", Encoding.UTF8, "text/csv"));
        await op.GetAsync("/v1/budgets");
        await anonymous.GetAsync("/v1/log/checkpoint");
        await anonymous.GetAsync("/v1/log/entries?cursor=0&limit=5");
        await anonymous.GetAsync("/v1/log/entries?limit=0");
        await anonymous.GetAsync("/v1/log/proofs/inclusion?index=0&treeSize=2");
        await anonymous.GetAsync("/v1/log/proofs/inclusion?index=5&treeSize=2");
        await anonymous.GetAsync("/v1/log/proofs/consistency?first=1&second=2");
        await anonymous.GetAsync("/v1/log/proofs/consistency?first=0&second=2");
        await anonymous.GetAsync("/tlog/checkpoint");
        await anonymous.GetAsync("/tlog/tile/0/000.p/1");
        await anonymous.GetAsync("/tlog/tile/0/x001/000");
        await anonymous.GetAsync("/errors/GW6001");
        await anonymous.GetAsync("/errors/GW9999");
        await anonymous.GetAsync("/");
        await anonymous.GetAsync("/healthz");
        await anonymous.GetAsync("/readyz");
        await op.GetAsync("/v1/datasets");
        await op.GetAsync($"/v1/datasets/{Dataset}/versions");
        await op.GetAsync($"/v1/datasets/{Dataset}/versions/1");
        await op.GetAsync($"/v1/recipients/{Recipient}/identities");
        await op.PostAsJsonAsync($"/v1/datasets/{Dataset}/erasures", new { subjects = new[] { "P-100000" } });
        await op.PostAsJsonAsync($"/v1/datasets/{Dataset}/erasures", new { subjects = new[] { "P-100000" } });
        var erasures = await (await op.GetAsync("/v1/erasures")).Content.ReadFromJsonAsync<JsonArray>();
        await bearer.GetAsync("/v1/erasures");
        await op.GetAsync("/v1/erasures?after=-2");
        await op.GetAsync(erasures![0]!["attestation"]!.GetValue<string>());
        await op.GetAsync($"/v1/attestations/erasures/{Dataset}/{new string('0', 64)}");
        var second = await (await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/identities", new { role = "analysis" })).Content.ReadFromJsonAsync<JsonObject>();
        await op.DeleteAsync($"/v1/recipients/{Recipient}/identities/{second!["clientId"]}");
        await op.DeleteAsync("/v1/tokens/tok_unknown");
        await op.DeleteAsync($"/v1/tokens/{token["tokenId"]}");
        await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/seal", new { reason = "test" });
        await op.PostAsJsonAsync($"/v1/recipients/{Recipient}/unseal", new { reason = "test" });
        await op.PostAsJsonAsync($"/v1/agreements/{Hospital}/terminations", new { termination = gateway.Terminate(yaml, Recipient, gateway.Clock.GetUtcNow().AddDays(365)) });
        var document = JsonNode.Parse(await gateway.Anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                await stranger.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), Regex.Replace(path, "{[^}]+}", "x")) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
            }
        }

        var problems = new List<string>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var exchange in recorder.Exchanges)
        {
            Validate(document, exchange, problems, answered);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key} {p.Key}")).ToList();
        var unanswered = operations.SelectMany(o => new[] { o + " success", o + " problem" }).Where(a => !answered.Contains(a)).ToList();
        Assert.True(unanswered.Count == 0, "not answered: " + string.Join("\n", unanswered));
    }

    private static void Validate(JsonObject document, Exchange exchange, List<string> problems, HashSet<string> answered)
    {
        var (method, path, status, mediaType, body) = exchange;
        var match = document["paths"]!.AsObject()
            .Where(p => Regex.IsMatch(path, "^" + Regex.Replace(p.Key.Replace("{path}", ".+", StringComparison.Ordinal), "{[^}]+}", "[^/]+") + "/?$"))
            .Select(p => (Template: p.Key, Operation: p.Value![method.ToLowerInvariant()]))
            .FirstOrDefault(p => p.Operation is not null);
        var name = $"{method} {path} {status}";
        if (match.Operation is null)
        {
            if (status is not (401 or 404 or 405))
            {
                problems.Add($"{name}: no operation in the document");
            }

            return;
        }

        var operation = $"{method.ToLowerInvariant()} {match.Template}";
        var response = match.Operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response is null)
        {
            problems.Add($"{name}: status not in the document");
            return;
        }

        answered.Add(operation + (status < 400 ? " success" : " problem"));
        if (mediaType is null || !mediaType.Contains("json", StringComparison.Ordinal))
        {
            return;
        }

        var schema = response["content"]?[mediaType]?["schema"];
        if (schema is null)
        {
            problems.Add($"{name}: no schema for `{mediaType}`");
            return;
        }

        var results = SchemaOf(document, schema).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var errors = (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            problems.Add($"{name}: {string.Join("; ", errors)}: {body}");
        }
    }

    private static int s_schemas;

    /// <summary>The response schema as a JSON Schema 2020-12 document: the document's component schemas become its <c>$defs</c>.</summary>
    private static JsonSchema SchemaOf(JsonObject document, JsonNode schema)
    {
        var root = JsonNode.Parse(schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = JsonNode.Parse(document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
        var id = new Uri($"https://concordat.test/openapi/{Interlocked.Increment(ref s_schemas)}");
        return JsonSchema.Build(JsonDocument.Parse(root.ToJsonString()).RootElement, new BuildOptions(), id);
    }

    private static HttpClient Client(TestGateway gateway, Recorder recorder, string? scheme, string? credential)
    {
        var client = new HttpClient(new RecordingHandler(recorder)) { BaseAddress = gateway.BaseAddress };
        if (scheme is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, credential);
        }

        return client;
    }

    private sealed record Exchange(string Method, string Path, int Status, string? MediaType, string Body);

    private sealed class Recorder
    {
        public List<Exchange> Exchanges { get; } = [];
    }

    private sealed class RecordingHandler(Recorder recorder) : DelegatingHandler(new HttpClientHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            lock (recorder)
            {
                recorder.Exchanges.Add(new Exchange(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
            }

            return response;
        }
    }
}
