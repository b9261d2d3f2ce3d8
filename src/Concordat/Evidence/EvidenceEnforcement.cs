using System.Globalization;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Log;

namespace Concordat.Evidence;

/// <summary>
/// Proof of enforcement: re-decides every logged decision from the agreement versions it names, with the library's
/// engine, and checks that each token and egress stayed within the decision it follows.
/// </summary>
/// <remarks>
/// A decision is replayed when every agreement version its record names is in the pack and verified; others (a deny
/// no agreement decided, a decision naming another agreement, an old record shape) are counted, not judged. Tokens
/// and egress are judged against decisions the pack carries; those following a decision of another agreement are
/// counted. Memory grows with the number of decisions in the pack (a few dozen bytes each), not with the log.
/// </remarks>
internal sealed class EvidenceEnforcement(IReadOnlyDictionary<Sha256Digest, Agreement> versions, Action<Diagnostic> fail, Action<string> count)
{
    // Security: the gateway stamps a token's expiry from its own clock just before logging it; the entry's time is
    // truncated to the millisecond, so a second of slack separates rounding from a token that outlives its decision.
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, DecisionFacts> _decisions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyIndex> _indexes = new(StringComparer.Ordinal);

    public void Read(long index, LogEntry entry)
    {
        if (entry.Body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        switch (entry.Type)
        {
            case "gateway.decision/v1":
                ReadDecision(index, entry);
                break;
            case "gateway.token-issued/v1":
                ReadToken(index, entry);
                break;
            case "gateway.egress/v1":
                ReadEgress(index, entry);
                break;
        }
    }

    private void ReadDecision(long index, LogEntry entry)
    {
        var body = entry.Body;
        var decisionId = JsonMembers.Text(body, "decisionId");
        var effect = JsonMembers.Text(body, "effect");
        if (decisionId is null || effect is null)
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: a decision entry without `decisionId` or `effect`"));
            return;
        }

        _decisions[decisionId] = new DecisionFacts(effect == "permit", JsonMembers.Text(body, "recipient"), JsonMembers.Text(body, "dataset"), Number(body, "datasetVersion"), entry.Time, null);
        if (!body.TryGetProperty("record", out var recordJson) || recordJson.ValueKind != JsonValueKind.Object || !recordJson.TryGetProperty("version", out _))
        {
            // Invariant: entries from before every decision carried a record (the `gatewayOverride` wrapper) are denies
            // the engine did not make; they are counted, never replayed (docs/formats/decision-record.md).
            count("decisionsNotReplayable");
            return;
        }

        if (!DecisionRecordV1.TryParse(JsonSerializer.SerializeToUtf8Bytes(recordJson), out var record, out var error))
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}`: its record does not read: {error.Message}"));
            return;
        }

        _decisions[decisionId] = _decisions[decisionId] with { TokenLifetime = record.Obligations.TokenLifetime };
        if (DecisionNames.ToName(record.Effect) != effect)
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}` says `{effect}`, its record `{DecisionNames.ToName(record.Effect)}`"));
            return;
        }

        if (JsonMembers.Text(body, "agreementDigest") is { } digest && (record.Agreements.Count == 0 || record.Agreements[0].Digest.ToString() != digest))
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}` names agreement digest `{digest}`, which is not the governing agreement of its record"));
            return;
        }

        if (record.Agreements.Count == 0 || !record.Agreements.All(a => versions.ContainsKey(a.Digest)))
        {
            count("decisionsNotReplayable");
            return;
        }

        if (!record.Replay(Index(record.Agreements), out var replayed))
        {
            var reasons = string.Join(", ", replayed.Reasons.Select(r => r.Clause is { } clause ? $"{DecisionNames.ToName(r.Code)}: {clause}" : DecisionNames.ToName(r.Code)));
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error(
                $"entry {index}: decision `{decisionId}` ({DecisionNames.ToName(record.Effect)} `{record.Request.Purpose}` of `{record.Request.Dataset}` for `{record.Request.Recipient}`) is not what agreement `{record.Agreements[0].Id}` v{record.Agreements[0].Version} decides: {DecisionNames.ToName(replayed.Effect)} ({reasons})"));
            return;
        }

        count("decisionsReplayed");
    }

    private void ReadToken(long index, LogEntry entry)
    {
        var body = entry.Body;
        if (JsonMembers.Text(body, "decisionId") is not { } decisionId || !_decisions.TryGetValue(decisionId, out var decision))
        {
            count("tokensOfOtherDecisions");
            return;
        }

        var token = JsonMembers.Text(body, "tokenId") ?? "?";
        if (!decision.IsPermit || decision.Recipient != JsonMembers.Text(body, "recipient"))
        {
            fail(EvidenceErrorCodes.TokenExceedsDecision.Error($"entry {index}: token `{token}` follows decision `{decisionId}`, which {(decision.IsPermit ? $"permits `{decision.Recipient}`, not `{JsonMembers.Text(body, "recipient")}`" : "denies")}"));
            return;
        }

        if (decision.TokenLifetime is { } lifetime && JsonMembers.Text(body, "expiresAt") is { } expiresText
            && DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt)
            && expiresAt > entry.Time + lifetime + s_slack)
        {
            fail(EvidenceErrorCodes.TokenExceedsDecision.Error($"entry {index}: token `{token}` expires at {Rfc3339.Format(expiresAt)}, beyond the {IsoDuration.Format(lifetime)} lifetime decision `{decisionId}` allows from its issue at {Rfc3339.Format(entry.Time)}"));
            return;
        }

        count("tokensChecked");
    }

    private void ReadEgress(long index, LogEntry entry)
    {
        var body = entry.Body;
        if (JsonMembers.Text(body, "decisionId") is not { } decisionId || !_decisions.TryGetValue(decisionId, out var decision))
        {
            count("egressOfOtherDecisions");
            return;
        }

        var recipient = JsonMembers.Text(body, "recipient");
        var dataset = JsonMembers.Text(body, "dataset");
        var version = Number(body, "datasetVersion");
        string? problem = !decision.IsPermit ? "denies"
            : decision.Recipient != recipient ? $"permits `{decision.Recipient}`, not `{recipient}`"
            : decision.Dataset != dataset ? $"permits dataset `{decision.Dataset}`, not `{dataset}`"
            : decision.DatasetVersion is { } decided && version is { } served && decided != served ? $"serves version {decided}, not {served}"
            : null;
        if (problem is not null)
        {
            fail(EvidenceErrorCodes.EgressDiffersFromDecision.Error($"entry {index}: egress of decision `{decisionId}` to `{recipient}`: the decision {problem}"));
            return;
        }

        count("egressChecked");
    }

    private PolicyIndex Index(IReadOnlyList<AgreementReference> references)
    {
        var key = string.Join(' ', references.Select(r => r.Digest.ToString()));
        if (!_indexes.TryGetValue(key, out var index))
        {
            index = PolicyIndex.Compile(references.Select(r => new PolicyAgreement(versions[r.Digest], r.Digest)));
            _indexes[key] = index;
        }

        return index;
    }

    private static long? Number(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : body.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) ? number
        : null;

    private sealed record DecisionFacts(bool IsPermit, string? Recipient, string? Dataset, long? DatasetVersion, DateTimeOffset Time, TimeSpan? TokenLifetime);
}
