using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Odrl;
using Concordat.Testing.Peers;

namespace Concordat.Tests.Odrl;

/// <summary>
/// The ODRL export against the W3C ODRL 2.2 context and vocabulary (tests/vendor/w3c-odrl), read by jsonld.js in
/// safe mode, and round-tripped: the permissions say who may do what on which dataset, for which purposes, where and
/// when, exactly as the grants do.
/// </summary>
public sealed class OdrlExportTests
{
    private static readonly string[] s_samples = ["hospital-research.yaml", "foundation-evaluation.yaml", "redteam-engagement.yaml"];

    [Fact]
    public void Export_Samples_ExpandWithAnIndependentJsonLdProcessorToTermsTheOdrlVocabularyDefines()
    {
        var policies = s_samples.Select(name => OdrlExport.Export(Read(name)).Document).ToList();

        var results = JsonNode.Parse(NodePeer.Run("odrl-expand.mjs", new JsonArray([.. policies.Select(p => p.DeepClone())]).ToJsonString(), TimeSpan.FromSeconds(60)))!.AsArray();

        for (var i = 0; i < policies.Count; i++)
        {
            var result = results[i]!;
            Assert.True(result["error"] is null, $"{s_samples[i]}: {result["error"]}");
            Assert.Empty(result["undefined"]!.AsArray());
            var expanded = result["expanded"]![0]!;
            Assert.Equal("http://www.w3.org/ns/odrl/2/Agreement", expanded["@type"]![0]!.GetValue<string>());
            Assert.NotEmpty(expanded["http://www.w3.org/ns/odrl/2/permission"]!.AsArray());
        }
    }

    [Fact]
    public void Export_APolicyWithATermOutsideOdrl_ThePeerRefusesIt()
    {
        // The check above can fail: a key the ODRL context does not define, and an action the vocabulary does not.
        var policy = OdrlExport.Export(Read("hospital-research.yaml")).Document;
        var bogusKey = policy.DeepClone().AsObject();
        bogusKey["permission"]![0]!["purposeOf"] = "research";
        var bogusAction = policy.DeepClone().AsObject();
        bogusAction["permission"]![0]!["action"] = new JsonArray("train");

        var results = JsonNode.Parse(NodePeer.Run("odrl-expand.mjs", new JsonArray(bogusKey, bogusAction).ToJsonString(), TimeSpan.FromSeconds(60)))!.AsArray();

        Assert.Contains("purposeOf", results[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["train"], results[1]!["undefined"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Export_Hospital_PermissionsRoundTripToTheGrants()
    {
        var agreement = Read("hospital-research.yaml");

        var policy = OdrlExport.Export(agreement).Document;

        Assert.Equal(OdrlExport.Context, policy["@context"]!.GetValue<string>());
        Assert.Equal(AgreementDigest.Compute(agreement).ToString(), policy["dct:identifier"]!.GetValue<string>());
        var permissions = policy["permission"]!.AsArray().Select(p => Permission(agreement, p!)).ToList();
        var expected = agreement.Grants.Select(g => (
            Recipient: g.Recipient.Value,
            Dataset: g.Datasets[0].Value,
            Actions: string.Join(",", g.Actions.Select(a => AgreementEnumText.ToText(a)).Order(StringComparer.Ordinal)),
            Purposes: string.Join(",", g.Purposes.Select(p => p.Value)),
            Jurisdictions: string.Join(",", g.Jurisdictions.Select(j => j.Value)),
            Window: (agreement.Effective.From, agreement.Effective.Until))).ToList();
        Assert.Equal(expected, permissions);
        var duties = policy["permission"]![0]!["duty"]!.AsArray().Select(d => $"{d!["action"]} {d["target"]?.GetValue<string>().Split('#').ElementAtOrDefault(1)}").ToList();
        Assert.Equal(["anonymize patient_id", "delete name", "anonymize birth_date", "anonymize postcode", "obtainConsent ", "delete "], duties);
        var prohibition = Assert.Single(policy["prohibition"]!.AsArray());
        Assert.Equal("[\"CN\",\"IN\",\"US\"]", prohibition!["constraint"]![0]!["rightOperand"]!.ToJsonString());
    }

    [Fact]
    public void Export_Hospital_SaysWhatOdrlCannotExpress()
    {
        var notExpressed = OdrlExport.Export(Read("hospital-research.yaml")).NotExpressed;

        Assert.Contains(notExpressed, n => n.StartsWith("grant `research-rows`: the rate limit", StringComparison.Ordinal));
        Assert.Contains(notExpressed, n => n.StartsWith("prohibition `no-reidentification`: re-identification has no ODRL action", StringComparison.Ordinal));
        Assert.Contains(notExpressed, n => n.StartsWith("grant `cohort-statistics`: minimum group size, privacy budget and aggregate scope", StringComparison.Ordinal));
        Assert.Contains(notExpressed, n => n.StartsWith("`retention.deletionAttestationDays`:", StringComparison.Ordinal));
        Assert.Contains(notExpressed, n => n.StartsWith("`incidents`:", StringComparison.Ordinal));
        Assert.DoesNotContain(notExpressed, n => n.StartsWith("parties' `dataRoles`", StringComparison.Ordinal));
    }

    /// <summary>Reads a permission back into the grant's terms: recipient, dataset, actions, purposes named (the broadest), jurisdictions, window.</summary>
    private static (string Recipient, string Dataset, string Actions, string Purposes, string Jurisdictions, (DateTimeOffset, DateTimeOffset?) Window) Permission(Agreement agreement, JsonNode permission)
    {
        static string Last(JsonNode node) => node.GetValue<string>().Split(':')[^1];
        var actions = permission["action"]!.AsArray().Select(a => a!.GetValue<string>() switch
        {
            "read" => "read-rows",
            "aggregate" => "aggregate-query",
            "reproduce" => "download-snapshot",
            var other => other,
        });
        var constraints = permission["constraint"]!.AsArray().ToList();
        JsonNode? Operand(string left, string op) => constraints.FirstOrDefault(c => c!["leftOperand"]!.GetValue<string>() == left && c["operator"]!.GetValue<string>() == op)?["rightOperand"];

        // The policy lists narrower purposes too; the grant names the broadest, whose broader purpose is not listed.
        var purposes = Operand("purpose", "isAnyOf")!.AsArray().Select(p => new PurposeId(Last(p!["@id"]!))).ToList();
        var named = purposes.Where(p => agreement.Purposes.First(d => d.Id == p).Broader is not { } broader || !purposes.Contains(broader));
        var from = DateTimeOffset.Parse(Operand("dateTime", "gteq")!["@value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var until = Operand("dateTime", "lt") is { } lt ? DateTimeOffset.Parse(lt["@value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        return (
            Last(permission["assignee"]!),
            Last(permission["target"]!),
            string.Join(",", actions.Order(StringComparer.Ordinal)),
            string.Join(",", named.Select(p => p.Value)),
            string.Join(",", Operand("spatial", "isAnyOf")?.AsArray().Select(j => j!.GetValue<string>()) ?? []),
            (from, until));
    }

    private static Agreement Read(string name)
    {
        var read = AgreementReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", name)), name);
        Assert.True(read.Agreement is not null, string.Join("\n", read.Diagnostics));
        return read.Agreement;
    }
}
