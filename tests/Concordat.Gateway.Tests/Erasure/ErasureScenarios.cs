using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Privacy;
using Concordat.Testing.Merkle;

namespace Concordat.Gateway.Tests.Erasure;

/// <summary>
/// Erasure of a data subject over real HTTP (docs/design/erasure.md): the subject's rows leave every stored version,
/// each rewritten version's new manifest names the old one, the egress that carried the subject (found by replaying
/// its row rules) and its recipient's own pseudonyms are reported, its retention deadlines move, and the log, which
/// never held the subject, still verifies.
/// </summary>
public abstract class ErasureScenarios : GatewayScenarios
{
    // SampleRows gives row 0 of every import the same patient id.
    private const string Subject = "P-100000";

    [Fact]
    public async Task Erase_SubjectInEveryVersion_PurgedLinkedReportedAndLogVerifies()
    {
        await using var gateway = await StartAsync();
        var dataset = await InstallAsync(gateway);
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        var (carried, pseudonym, _) = await EgressAsync(gateway, northwind);

        // Version 3 consents to training only: the research egress of it withholds every row, the subject's too.
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "training", "DE"))).StatusCode);
        var (withheld, none, _) = await EgressAsync(gateway, northwind);
        var before = (await gateway.Operator.GetFromJsonAsync<JsonArray>($"/v1/datasets/{HospitalDataset}/versions"))!;
        var parquetCopy = Path.Combine(gateway.Workspace, "delta-sharing", HospitalDataset, "copy.parquet");
        var otherCopy = Path.Combine(gateway.Workspace, "delta-sharing", "other-dataset", "copy.parquet");
        foreach (var copy in new[] { parquetCopy, otherCopy })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            await File.WriteAllTextAsync(copy, "a derived copy");
        }

        using var response = await EraseAsync(gateway.Operator, Subject);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.DoesNotContain(Subject, text, StringComparison.Ordinal);
        var result = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(3, result["rowsRemoved"]!.GetValue<long>());
        var versions = result["versions"]!.AsArray();
        Assert.Equal([1, 2, 3], versions.Select(v => v!["version"]!.GetValue<int>()));
        var egress = Assert.Single(result["egress"]!.AsArray())!;
        Assert.Equal(carried, egress["decisionId"]!.GetValue<string>());
        Assert.NotEqual(withheld, carried);
        Assert.Null(none);
        Assert.True(egress["isReplayed"]!.GetValue<bool>());
        var recipient = Assert.Single(result["recipients"]!.AsArray())!;
        Assert.Equal(HospitalRecipient, recipient["recipient"]!.GetValue<string>());
        Assert.Equal([pseudonym], recipient["pseudonyms"]!.AsArray().Select(p => p!.GetValue<string>()));
        var erasedAt = result["erasedAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(erasedAt, egress["deleteBy"]!.GetValue<DateTimeOffset>());

        foreach (var version in versions)
        {
            var number = version!["version"]!.GetValue<int>();
            var detail = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/datasets/{HospitalDataset}/versions/{number}"))!;
            var old = before.Single(v => v!["version"]!.GetValue<int>() == number)!["manifest"]!.GetValue<string>();
            Assert.Equal(old, detail["manifest"]!["previousManifest"]!.GetValue<string>());
            Assert.Equal(old, version["previousManifest"]!.GetValue<string>());
            Assert.Equal(detail["manifestDigest"]!.GetValue<string>(), version["manifest"]!.GetValue<string>());
            Assert.Equal(9, detail["manifest"]!["rowCount"]!.GetValue<long>());
            var rows = await File.ReadAllTextAsync(Path.Combine(gateway.Workspace, "datasets", HospitalDataset, number.ToString(System.Globalization.CultureInfo.InvariantCulture), "rows.ndjson"));
            Assert.DoesNotContain(Subject, rows, StringComparison.Ordinal);
        }

        var entries = await gateway.LogEntriesAsync();
        Assert.DoesNotContain(entries, e => e.ToJsonString().Contains(Subject, StringComparison.Ordinal));
        var entry = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.erasure/v1")["body"]!;
        Assert.Equal([carried], entry["decisionIds"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(result["subjectCommitment"]!.GetValue<string>(), entry["subjectCommitment"]!.GetValue<string>());
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.attestation/v1" && e["body"]!["kind"]!.GetValue<string>() == "erasure"
            && e["body"]!["envelope"]!.GetValue<string>() == result["envelope"]!.GetValue<string>());
        await AssertLogVerifiesAsync(gateway);
        Assert.False(File.Exists(parquetCopy));
        Assert.True(File.Exists(otherCopy));

        // Crypto-shredding: the key is gone, so whoever holds the log and guesses the subject cannot confirm the guess.
        var commitment = entry["subjectCommitment"]!.GetValue<string>();
        for (var i = 0; i < 100; i++)
        {
            Assert.NotEqual(commitment, SubjectCommitment.Compute(RandomNumberGenerator.GetBytes(SubjectCommitment.KeyLength), [Subject]));
        }

        var retention = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;
        var item = retention["items"]!.AsArray().Single(i => i!["decisionId"]!.GetValue<string>() == carried)!;
        Assert.Equal(erasedAt, item["deleteBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal(erasedAt.AddDays(14), item["attestBy"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Erasures_RecipientConcerned_LearnsItsEgressPseudonymsAndRecordUntilItAttests()
    {
        await using var gateway = await StartAsync();
        await InstallAsync(gateway);
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        using var southwind = await TokenAsync(gateway, "southwind-labs");
        var (carried, pseudonym, sha256) = await EgressAsync(gateway, northwind);
        using var erased = await EraseAsync(gateway.Operator, Subject);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var logIndex = (await erased.Content.ReadFromJsonAsync<JsonObject>())!["logIndex"]!.GetValue<long>();

        var mine = (await northwind.GetFromJsonAsync<JsonArray>("/v1/erasures"))!;
        var others = (await southwind.GetFromJsonAsync<JsonArray>("/v1/erasures"))!;
        var all = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/erasures"))!;
        var later = (await northwind.GetFromJsonAsync<JsonArray>($"/v1/erasures?after={logIndex}"))!;
        var listed = (await northwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;
        var listedToOthers = (await southwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;

        Assert.DoesNotContain(Subject, mine.ToJsonString(), StringComparison.Ordinal);
        var notice = Assert.Single(mine)!;
        Assert.Equal((HospitalDataset, logIndex), (notice["dataset"]!.GetValue<string>(), notice["logIndex"]!.GetValue<long>()));
        var recipient = Assert.Single(notice["recipients"]!.AsArray())!;
        Assert.Equal(HospitalRecipient, recipient["recipient"]!.GetValue<string>());
        Assert.Equal([pseudonym], recipient["pseudonyms"]!.AsArray().Select(p => p!.GetValue<string>()));
        var egress = Assert.Single(recipient["egress"]!.AsArray())!;
        Assert.Equal((carried, "due"), (egress["decisionId"]!.GetValue<string>(), egress["state"]!.GetValue<string>()));
        Assert.Equal(notice["erasedAt"]!.GetValue<DateTimeOffset>(), egress["deleteBy"]!.GetValue<DateTimeOffset>());
        Assert.Empty(others);
        Assert.Equal(notice.ToJsonString(), Assert.Single(all)!.ToJsonString());
        Assert.Empty(later);
        var url = notice["attestation"]!.GetValue<string>();
        Assert.Equal(url, listed.Single(l => l!["kind"]!.GetValue<string>() == "erasure")!["url"]!.GetValue<string>());
        Assert.DoesNotContain(listedToOthers, l => l!["kind"]!.GetValue<string>() == "erasure");
        Assert.Contains(url, (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/attestations"))!.Select(l => l!["url"]!.GetValue<string>()));
        using var envelope = await northwind.GetAsync(url);
        using var hidden = await southwind.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, envelope.StatusCode);
        var statement = JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(await envelope.Content.ReadAsStringAsync())!["payload"]!.GetValue<string>()))!;
        Assert.Equal(notice["subjectCommitment"]!.GetValue<string>(), statement["predicate"]!["subjectCommitment"]!.GetValue<string>());
        await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "GW6014");

        using var attested = await Retention.RetentionScenarios.PostAsync(northwind, Retention.RetentionScenarios.Sign(gateway.SignerKey(HospitalRecipient), HospitalRecipient, gateway.Clock.GetUtcNow(), (carried, sha256)));
        var afterAttesting = (await northwind.GetFromJsonAsync<JsonArray>("/v1/erasures"))!;

        Assert.Equal(HttpStatusCode.Created, attested.StatusCode);
        var done = Assert.Single(Assert.Single(afterAttesting)!["recipients"]!.AsArray())!;
        Assert.Null(done["pseudonyms"]);
        Assert.Equal("done", Assert.Single(done["egress"]!.AsArray())!["state"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(gateway.Workspace, Concordat.Gateway.Erasure.ErasureNotices.FolderName), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Erase_SecondErasure_FindsEgressLoggedSinceTheFirst()
    {
        await using var gateway = await StartAsync();
        var dataset = await InstallAsync(gateway);
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        var (first, _, _) = await EgressAsync(gateway, northwind);
        using var firstErasure = await EraseAsync(gateway.Operator, Subject);
        Assert.Equal(HttpStatusCode.OK, firstErasure.StatusCode);

        // A new version holds the subject again; its egress comes after the book last read the log.
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        var (second, _, _) = await EgressAsync(gateway, northwind);
        using var secondErasure = await EraseAsync(gateway.Operator, Subject);
        var result = (await secondErasure.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, secondErasure.StatusCode);
        Assert.Equal([second], result["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>()));
        Assert.NotEqual(first, second);
        Assert.Equal(2, (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/erasures"))!.Count);
    }

    [Fact]
    public async Task Erasures_BadCursorOrAnonymousOrBadCommitment_OneClearProblemEach()
    {
        await using var gateway = await StartAsync();
        await InstallAsync(gateway);

        using var badCursor = await gateway.Operator.GetAsync("/v1/erasures?after=-2");
        using var anonymous = await gateway.Anonymous.GetAsync("/v1/erasures");
        using var badCommitment = await gateway.Operator.GetAsync($"/v1/attestations/erasures/{HospitalDataset}/ABC");
        using var unknown = await gateway.Operator.GetAsync($"/v1/attestations/erasures/{HospitalDataset}/{new string('0', 64)}");

        await AssertProblemAsync(badCursor, HttpStatusCode.BadRequest, "GW6013");
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(badCommitment, HttpStatusCode.BadRequest, "GW6018");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "GW6014");
    }

    [Fact]
    public async Task Erase_BadInput_OneClearProblemEachAndNothingChanged()
    {
        await using var gateway = await StartAsync();
        await InstallAsync(gateway);
        using var recipient = await TokenAsync(gateway, HospitalRecipient);
        var before = (await gateway.Operator.GetFromJsonAsync<JsonArray>($"/v1/datasets/{HospitalDataset}/versions"))!.ToJsonString();

        using var unknownDataset = await gateway.Operator.PostAsJsonAsync("/v1/datasets/no-such-dataset/erasures", new { subjects = new[] { Subject } });
        using var absent = await EraseAsync(gateway.Operator, "P-999999");
        using var empty = await gateway.Operator.PostAsJsonAsync($"/v1/datasets/{HospitalDataset}/erasures", new { subjects = Array.Empty<string>() });
        using var control = await EraseAsync(gateway.Operator, "P-1\n");
        using var notJson = await gateway.Operator.PostAsync($"/v1/datasets/{HospitalDataset}/erasures", new StringContent("{\"subjects\":", Encoding.UTF8, "application/json"));
        using var byRecipient = await EraseAsync(recipient, Subject);

        await AssertProblemAsync(unknownDataset, HttpStatusCode.NotFound, "GW6014");
        Assert.DoesNotContain("P-999999", (await AssertProblemAsync(absent, HttpStatusCode.UnprocessableEntity, "GW6921"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "GW6920");
        await AssertProblemAsync(control, HttpStatusCode.BadRequest, "GW6920");
        await AssertProblemAsync(notJson, HttpStatusCode.BadRequest, "GW6013");
        await AssertProblemAsync(byRecipient, HttpStatusCode.Forbidden, "GW6017");
        Assert.Equal(before, (await gateway.Operator.GetFromJsonAsync<JsonArray>($"/v1/datasets/{HospitalDataset}/versions"))!.ToJsonString());
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.erasure/v1");
    }

    // The agreement with a second recipient, and version 1 of the dataset (research, DE).
    private static async Task<DatasetDefinition> InstallAsync(TestGateway gateway)
    {
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        return dataset;
    }

    private static Task<HttpResponseMessage> EraseAsync(HttpClient client, string subject) =>
        client.PostAsJsonAsync($"/v1/datasets/{HospitalDataset}/erasures", new { subjects = new[] { subject } });

    // Reads the newest version as CSV; returns the decision, the pseudonymised patient id of its first row, if any, and the bytes' digest.
    private static async Task<(string DecisionId, string? FirstPseudonym, string Sha256)> EgressAsync(TestGateway gateway, HttpClient recipient)
    {
        using var rows = await recipient.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var bytes = await rows.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        await WaitForEntryAsync(gateway, "gateway.attestation/v1", decisionId);
        var column = Array.IndexOf(lines[0].Split(','), "patient_id");
        return (decisionId, lines.Length > 1 ? lines[1].Split(',')[column] : null, Concordat.Core.Sha256Digest.Compute(bytes).ToString());
    }

    // Security: the log is checked from outside, against its signed checkpoint, with the naive reference tree.
    private static async Task AssertLogVerifiesAsync(TestGateway gateway)
    {
        var note = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");
        var publicKey = File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.LogPublicKeyFileName)).Trim();
        Assert.True(Concordat.Crypto.NoteKey.TryParseVerifierKey(publicKey, out var verifierKey, out _));
        var opened = Concordat.Notes.SignedNote.Open(Encoding.UTF8.GetBytes(note), [Concordat.Notes.NoteVerifier.ForEd25519(verifierKey)]);
        Assert.True(opened.IsVerified);
        Assert.True(Concordat.Notes.Checkpoint.TryParse(opened.Note!.Text, out var checkpoint, out _));
        var leaves = (await gateway.LogEntriesAsync()).Take((int)checkpoint.TreeSize).Select(e => Convert.FromBase64String(e["bytes"]!.GetValue<string>()));
        var tree = new ReferenceMerkleTree(leaves);
        Assert.Equal(checkpoint.TreeSize, tree.Count);
        Assert.Equal(checkpoint.RootHash.Bytes.ToArray(), tree.Root(0, tree.Count));
    }
}
