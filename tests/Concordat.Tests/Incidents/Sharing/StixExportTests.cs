using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Incidents.Sharing;
using Concordat.Log;

namespace Concordat.Tests.Incidents.Sharing;

public sealed class StixExportTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 6, 3, 10, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    [Theory]
    [InlineData(TlpLevel.Clear)]
    [InlineData(TlpLevel.Green)]
    [InlineData(TlpLevel.Amber)]
    [InlineData(TlpLevel.AmberStrict)]
    [InlineData(TlpLevel.Red)]
    public void TryBuild_IncidentWithAlert_ValidatesAgainstTheOasisSchemas(TlpLevel tlp)
    {
        var bundle = Build(tlp);

        var errors = StixSchemas.Errors(bundle.ToJsonString());

        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + bundle.ToJsonString(s_indented));
    }

    [Fact]
    public void TryBuild_IncidentWithAlert_HoldsIndicatorObservedDataSightingIncidentAndTlpMarking()
    {
        var objects = Build(TlpLevel.Red)["objects"]!.AsArray();

        var types = objects.Select(o => o!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["marking-definition", "identity", "incident", "indicator", "observed-data", "user-account", "sighting", "relationship"], types);
        Assert.Equal("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", objects[0]!["id"]!.GetValue<string>());
        Assert.All(objects.Skip(1), o => Assert.Equal("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", o!["object_marking_refs"]![0]!.GetValue<string>()));
        var indicator = objects.Single(o => o!["type"]!.GetValue<string>() == "indicator")!;
        Assert.Equal("([user-account:user_id = 'cli_lab1'] OR [x-concordat-token:token_id = 'tok_2']) START t'2026-06-03T10:05:00.000Z' STOP t'2026-06-03T10:06:01.000Z'", indicator["pattern"]!.GetValue<string>());
        Assert.Contains("volume-spike", indicator["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public void TryBuild_SameEntries_SameBytesAndUuidV5Ids()
    {
        var first = Build(TlpLevel.Amber).ToJsonString();
        var second = Build(TlpLevel.Amber).ToJsonString();

        Assert.Equal(first, second);
        var account = JsonNode.Parse(first)!["objects"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "user-account")!;
        // Spec: STIX 2.1 §2.9: the SCO namespace over the JCS of {"user_id": ...}; version nibble 5.
        Assert.Equal($"user-account--{StixIds.Uuid5(new Guid("00abedb4-aa42-466c-9c01-fed23315a9b7"), """{"user_id":"cli_lab1"}""")}", account["id"]!.GetValue<string>());
        Assert.Equal('5', account["id"]!.GetValue<string>()["user-account--".Length + 14]);
    }

    [Fact]
    public void Uuid5_RfcExample_MatchesThePublishedValue()
    {
        // Spec: RFC 9562 Appendix A.4: UUIDv5 of `www.example.com` in the DNS namespace.
        var uuid = StixIds.Uuid5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com");

        Assert.Equal("2ed6657d-e927-568b-95e1-2665a8aea6a2", uuid.ToString());
    }

    [Fact]
    public void TryBuild_IncidentFreeText_NeverReachesTheBundle()
    {
        var text = Build(TlpLevel.Green).ToJsonString();

        Assert.DoesNotContain("alice@example.org", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Roe", text, StringComparison.Ordinal);
        Assert.Contains("severity high", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_IncidentWithoutAlerts_NamesTheRecipientsTokensOfTheDayBefore()
    {
        var export = new StixExport();
        foreach (var (index, entry) in Entries().Take(3))
        {
            export.Read(index, entry);
        }

        export.Read(3, At(30, "gateway.incident-opened/v1", $$"""{"incidentId":"inc_2","severity":"low","suspected":"s","triageOwner":"bob","detectedAt":"{{Time(20)}}","agreements":[],"recipients":["lab"],"datasets":[],"alerts":[],"actor":"operator"}"""));

        Assert.True(export.TryBuild("inc_2", TlpLevel.Amber, "gw", out var bundle));
        var indicator = bundle["objects"]!.AsArray().Single(o => o!["type"]!.GetValue<string>() == "indicator")!;
        Assert.StartsWith("([user-account:user_id = 'cli_lab1'] OR [x-concordat-token:token_id = 'tok_1'] OR [x-concordat-token:token_id = 'tok_2'])", indicator["pattern"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(StixSchemas.Errors(bundle.ToJsonString()));
    }

    [Fact]
    public void TryBuild_UnknownIncident_ReturnsFalse()
    {
        var export = new StixExport();

        Assert.False(export.TryBuild("inc_missing", TlpLevel.Amber, "gw", out var bundle));
        Assert.Null(bundle);
    }

    [Fact]
    public void TryRead_OwnBundle_FindsTheIdentityTokenAndAlertName()
    {
        using var document = JsonDocument.Parse(Build(TlpLevel.Amber).ToJsonString());

        Assert.True(StixBundleReader.TryRead(document.RootElement, out var indicators, out var objects, out var error), error);

        Assert.Equal(8, objects);
        var indicator = Assert.Single(indicators);
        Assert.Equal(["cli_lab1"], indicator.ClientIds);
        Assert.Equal(["tok_2"], indicator.TokenIds);
        Assert.Contains("volume-spike", indicator.Labels);
    }

    [Theory]
    [InlineData("indicator-for-c2-ip-address.json")]
    [InlineData("indicator-to-campaign-relationship.json")]
    [InlineData("indicators-for-C2-with-COA.json")]
    [InlineData("infrastructure.json")]
    [InlineData("interop-objectmarking-test.json")]
    [InlineData("malicious-email-indicator-with-attachment.json")]
    [InlineData("threat-reports/apt1.json")]
    [InlineData("threat-reports/poisonivy.json")]
    public void TryRead_OasisExample_ImportsWithoutNamingOurIdentities(string example)
    {
        var json = File.ReadAllText(Path.Combine(StixSchemas.Folder, "examples", example));
        using var document = JsonDocument.Parse(json);

        Assert.True(StixBundleReader.TryRead(document.RootElement, out var indicators, out var objects, out var error), error);

        Assert.True(objects > 0);
        Assert.All(indicators, i => Assert.Empty(i.TokenIds));
    }

    [Theory]
    [InlineData("[]", "needs a `type`")]
    [InlineData("""{"type":"indicator"}""", "`indicator--UUID`")]
    [InlineData("""{"type":"bundle"}""", "`bundle--UUID`")]
    [InlineData("""{"type":"bundle","id":"bundle--1","objects":{}}""", "not an array")]
    [InlineData("""{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator"}]}""", "object 1")]
    public void TryRead_NotABundle_SaysWhy(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(StixBundleReader.TryRead(document.RootElement, out _, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_EscapedQuoteInPattern_Unescapes()
    {
        using var document = JsonDocument.Parse("""{"type":"bundle","id":"bundle--1","objects":[{"type":"indicator","id":"indicator--1","pattern_type":"stix","pattern":"[user-account:user_id = 'o\\'brien' AND user-account:account_login = 'x']"}]}""");

        Assert.True(StixBundleReader.TryRead(document.RootElement, out var indicators, out _, out _));

        Assert.Equal(["o'brien", "x"], indicators.Single().ClientIds);
    }

    private static JsonObject Build(TlpLevel tlp)
    {
        var export = new StixExport();
        foreach (var (index, entry) in Entries())
        {
            export.Read(index, entry);
        }

        Assert.True(export.TryBuild("inc_1", tlp, "St Aurelia Hospital", out var bundle));
        return bundle;
    }

    private static List<(long, LogEntry)> Entries() =>
    [
        (0, At(0, "gateway.token-issued/v1", $$"""{"tokenId":"tok_1","recipient":"lab","clientId":"cli_lab1","expiresAt":"{{Time(4)}}"}""")),
        (1, At(3, "gateway.token-issued/v1", $$"""{"tokenId":"tok_2","recipient":"lab","clientId":"cli_lab1","expiresAt":"{{Time(63)}}"}""")),
        (2, At(3, "gateway.token-issued/v1", $$"""{"tokenId":"tok_3","recipient":"other","clientId":"cli_other","expiresAt":"{{Time(63)}}"}""")),
        (3, At(6, "gateway.alert/v1", $$"""{"alert":"volume-spike","recipient":"lab","clientId":"cli_lab1","firstAnomalousAt":"{{Time(5)}}","observed":5000,"threshold":400,"subject":"rows","autoSeal":[]}""")),
        (4, At(7, "gateway.incident-opened/v1", $$"""{"incidentId":"inc_1","severity":"high","suspected":"Jane Roe's account","triageOwner":"alice@example.org","detectedAt":"{{Time(6)}}","agreements":["acme"],"recipients":["lab"],"datasets":["patients"],"alerts":[3],"actor":"gateway"}""")),
    ];

    private static string Time(int minutes) => s_t0.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static LogEntry At(int minutes, string type, string body) => LogEntry.Create(type, s_t0.AddMinutes(minutes), JsonDocument.Parse(body).RootElement.Clone());
}
