using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// counted. Memory grows with the number of decisions in the pack, about 50 bytes each (a 16-byte digest of the id and
/// a 24-byte slot; recipients and datasets interned), not with the log: no time bound lets a decision be forgotten,
/// since an egress is logged when its stream ends, however long after its decision (docs/design/evidence.md).
/// </remarks>
internal sealed class EvidenceEnforcement(IReadOnlyDictionary<Sha256Digest, Agreement> versions, Action<Diagnostic> fail, Action<string> count)
{
    // Security: the gateway stamps a token's expiry from its own clock just before logging it; the entry's time is
    // truncated to the millisecond, so a second of slack separates rounding from a token that outlives its decision.
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(1);

    private readonly Dictionary<UInt128, DecisionSlot> _decisions = [];
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly List<string?> _nameList = [null];
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

        var key = Key(decisionId);
        var version = Number(body, "datasetVersion");
        _decisions[key] = new DecisionSlot(version ?? 0, 0, Intern(JsonMembers.Text(body, "recipient")), Intern(JsonMembers.Text(body, "dataset")), effect == "permit", version.HasValue, false);
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

        _decisions[key] = _decisions[key] with { TokenLifetimeTicks = record.Obligations.TokenLifetime?.Ticks ?? 0, HasTokenLifetime = record.Obligations.TokenLifetime.HasValue };
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
        if (JsonMembers.Text(body, "decisionId") is not { } decisionId || Find(decisionId) is not { } decision)
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
        if (JsonMembers.Text(body, "decisionId") is not { } decisionId || Find(decisionId) is not { } decision)
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

    // Invariant: a decision id is kept as the first 16 bytes of its SHA-256, so the table costs the same per decision
    // whatever the ids' length. Two ids with one key would act as one id logged twice (the later decision's facts
    // count), which the log itself could already say; finding such a pair takes about 2^64 hashes.
    private static UInt128 Key(string decisionId)
    {
        Span<byte> digest = stackalloc byte[32];
        var length = Encoding.UTF8.GetByteCount(decisionId);
        var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(decisionId, utf8);
        SHA256.HashData(utf8, digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private DecisionFacts? Find(string decisionId) =>
        _decisions.TryGetValue(Key(decisionId), out var slot)
            ? new DecisionFacts(slot.IsPermit, _nameList[slot.Recipient], _nameList[slot.Dataset], slot.HasDatasetVersion ? slot.DatasetVersion : null, slot.HasTokenLifetime ? TimeSpan.FromTicks(slot.TokenLifetimeTicks) : null)
            : null;

    // Recipients and datasets are few and repeat in every decision: each is kept once, and a slot holds its number.
    private int Intern(string? name)
    {
        if (name is null)
        {
            return 0;
        }

        if (!_names.TryGetValue(name, out var number))
        {
            number = _nameList.Count;
            _nameList.Add(name);
            _names[name] = number;
        }

        return number;
    }

    private readonly record struct DecisionFacts(bool IsPermit, string? Recipient, string? Dataset, long? DatasetVersion, TimeSpan? TokenLifetime);

    // 32 bytes: presence flags beside plain numbers, where two nullables would take 48.
    private readonly record struct DecisionSlot(long DatasetVersion, long TokenLifetimeTicks, int Recipient, int Dataset, bool IsPermit, bool HasDatasetVersion, bool HasTokenLifetime);
}
