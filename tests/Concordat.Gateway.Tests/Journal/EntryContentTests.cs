using System.Text.Json;
using System.Text.RegularExpressions;
using Concordat.Testing;

namespace Concordat.Gateway.Tests.Journal;

/// <summary>
/// The log never holds personal data, so erasing a data subject never needs to rewrite it: a scan of every entry kind
/// the gateway writes (the canonical example of each, in <c>golden/</c>, which <see cref="GatewayEntryGoldenTests"/>
/// ties to the code) checks that every member is an identifier, a digest, a count, an instant, a flag or a code of a
/// closed vocabulary, with values of that shape. Free text is allowed only in the operator's own acts (a seal's reason,
/// an incident's words), which docs/design/retention.md says must name no data subject.
/// </summary>
/// <remarks>A new member fails here until it is classed below: a reviewer decides what it may carry.</remarks>
public sealed partial class EntryContentTests
{
    private static readonly string s_folder = Path.Combine(RepositoryRoot.Find(), "tests", "Concordat.Gateway.Tests", "Journal", "golden");

    private static readonly Dictionary<string, Content> s_members = new(StringComparer.Ordinal)
    {
        // Identifiers: of parties, agreements, clauses, datasets, decisions, tokens, incidents, keys, subjects.
        ["agreement"] = Content.Id,
        ["agreements"] = Content.Id,
        ["autoSeal"] = Content.Id,
        ["clientId"] = Content.Id,
        ["clause"] = Content.Id,
        ["dataset"] = Content.Id,
        ["datasets"] = Content.Id,
        ["decisionId"] = Content.Id,
        ["decisionIds"] = Content.Id,
        ["grant"] = Content.Id,
        ["id"] = Content.Id,
        ["incidentId"] = Content.Id,
        ["keyId"] = Content.Id,
        ["recipient"] = Content.Id,
        ["recipients"] = Content.Id,
        ["tokenId"] = Content.Id,
        ["name"] = Content.Id,
        ["by"] = Content.Id,
        ["actor"] = Content.Id,
        ["triageOwner"] = Content.Id,
        ["reportId"] = Content.Id,
        ["reporter"] = Content.Id,
        ["assessor"] = Content.Id,
        ["party"] = Content.Id,
        ["questionnaire"] = Content.Id,

        // Digests.
        ["agreementDigest"] = Content.Digest,
        ["digest"] = Content.Digest,
        ["envelope"] = Content.Digest,
        ["manifest"] = Content.Digest,
        ["queryDigest"] = Content.Digest,
        ["sha256"] = Content.Digest,
        ["supersedesDigest"] = Content.Digest,
        ["diffDigest"] = Content.Digest,
        ["contentSha256"] = Content.Digest,
        ["secretSha256"] = Content.Digest,
        ["previousManifest"] = Content.Digest,

        // Keyed commitments whose key was destroyed (an erased subject): unlinkable to anyone once the key is gone.
        ["subjectCommitment"] = Content.Commitment,

        // Instants.
        ["time"] = Content.Instant,
        ["deletedAt"] = Content.Instant,
        ["detectedAt"] = Content.Instant,
        ["expiresAt"] = Content.Instant,
        ["firstAnomalousAt"] = Content.Instant,
        ["givenAt"] = Content.Instant,
        ["effectiveAt"] = Content.Instant,
        ["acknowledgeBy"] = Content.Instant,
        ["respondBy"] = Content.Instant,
        ["assessedAt"] = Content.Instant,

        // Counts, versions, log indices, measures, exact rationals (privacy accounting) and decimal scores (due diligence).
        ["alerts"] = Content.Count,
        ["bytesWritten"] = Content.Count,
        ["contributions"] = Content.Count,
        ["count"] = Content.Count,
        ["datasetVersion"] = Content.Count,
        ["enforcementMilliseconds"] = Content.Count,
        ["identitiesRevoked"] = Content.Count,
        ["observed"] = Content.Count,
        ["rows"] = Content.Count,
        ["rowsWithheldByConsent"] = Content.Count,
        ["rowsWithheldByResidency"] = Content.Count,
        ["status"] = Content.Count,
        ["streamsStopped"] = Content.Count,
        ["threshold"] = Content.Count,
        ["tokensRevoked"] = Content.Count,
        ["version"] = Content.Count,
        ["supersedes"] = Content.Count,
        ["parameter"] = Content.Count,
        ["rho"] = Content.Count,
        ["remaining"] = Content.Count,
        ["spent"] = Content.Count,
        ["sensitivity"] = Content.Count,
        ["overall"] = Content.Count,
        ["rowsRemoved"] = Content.Count,
        ["subjects"] = Content.Count,

        // Flags.
        ["completed"] = Content.Flag,
        ["drill"] = Content.Flag,
        ["grantsMore"] = Content.Flag,
        ["passed"] = Content.Flag,

        // Codes of closed vocabularies (effects, actions, reasons, error codes, routes, alert names and their subjects).
        ["act"] = Content.Code,
        ["action"] = Content.Code,
        ["alert"] = Content.Code,
        ["code"] = Content.Code,
        ["codes"] = Content.Code,
        ["effect"] = Content.Code,
        ["engine"] = Content.Code,
        ["format"] = Content.Code,
        ["kind"] = Content.Code,
        ["mechanism"] = Content.Code,
        ["predicateType"] = Content.Code,
        ["reasons"] = Content.Code,
        ["role"] = Content.Code,
        ["route"] = Content.Code,
        ["severity"] = Content.Code,
        ["state"] = Content.Code,
        ["stoppedBy"] = Content.Code,
        ["whom"] = Content.Code,
        ["subject"] = Content.Code,
        ["jurisdiction"] = Content.Code,
        ["purpose"] = Content.Code,

        // The obligations an egress carried out, named from the signed agreement's terms (fields, masks, row rules).
        ["obligations"] = Content.Code,

        // The operator's own words.
        ["detail"] = Content.Text,
        ["reason"] = Content.Text,
        ["suspected"] = Content.Text,
        ["rootCause"] = Content.Text,
        ["fixes"] = Content.Text,
        ["policyChanges"] = Content.Text,
    };

    private static readonly HashSet<string> s_operatorActs = new(StringComparer.Ordinal)
    {
        "gateway.seal/v1",
        "gateway.unseal/v1",
        "gateway.incident-opened/v1",
        "gateway.incident-act/v1",
    };

    private enum Content
    {
        Id,
        Digest,
        Commitment,
        Instant,
        Count,
        Flag,
        Code,
        Text,
    }

    public static TheoryData<string> GoldenFiles() => [.. Directory.EnumerateFiles(s_folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void EveryMember_OfEveryEntryKind_IsAnIdDigestCountInstantFlagOrCode(string file)
    {
        using var entry = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(s_folder, file)));
        var type = entry.RootElement.GetProperty("type").GetString()!;
        var problems = new List<string>();

        Walk(type, "body", entry.RootElement.GetProperty("body"), problems);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static void Walk(string type, string member, JsonElement value, List<string> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Walk(type, property.Name, property.Value, problems);
                }

                return;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Walk(type, member, item, problems);
                }

                return;
        }

        if (!s_members.TryGetValue(member, out var content))
        {
            problems.Add($"{type}: member `{member}` is not classed: decide what it may carry and add it to the table");
            return;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var fits = content switch
        {
            Content.Id => value.ValueKind == JsonValueKind.String && IdShape().IsMatch(text),
            Content.Digest => DigestShape().IsMatch(text),
            Content.Commitment => CommitmentShape().IsMatch(text),
            Content.Instant => InstantShape().IsMatch(text),
            Content.Count => value.ValueKind == JsonValueKind.Number || RationalShape().IsMatch(text),
            Content.Flag => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Content.Code => value.ValueKind == JsonValueKind.String && text.Length <= 128,

            // Security: free text is the operator's, in its own acts only; a recipient or a request never writes it.
            Content.Text => s_operatorActs.Contains(type),
            _ => false,
        };
        if (!fits)
        {
            problems.Add($"{type}: member `{member}` ({content}) holds `{text}`");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:/+@-]{1,256}\z")]
    private static partial Regex IdShape();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}\z")]
    private static partial Regex DigestShape();

    [GeneratedRegex(@"^hmac-sha256:[0-9a-f]{64}\z")]
    private static partial Regex CommitmentShape();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\z")]
    private static partial Regex InstantShape();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+|/[0-9]+)?\z")]
    private static partial Regex RationalShape();
}
