using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// counted. Memory grows with the number of decisions in the pack, not with the log: each decision costs one entry of
/// a dictionary from a 16-byte digest of its id to a 4-byte number of its terms (36 bytes per slot of the dictionary,
/// which has at most 1.2 slots per decision when sized from <c>pack.json</c>), and each distinct set of terms is kept
/// once. No time bound lets a decision be forgotten, since an egress is logged when its stream ends, however long after
/// its decision (docs/design/evidence.md).
/// </remarks>
internal sealed class EvidenceEnforcement(IReadOnlyDictionary<Sha256Digest, Agreement> versions, Action<Diagnostic> fail, Action<string> count)
{
    // Security: the gateway stamps a token's expiry from its own clock just before logging it; the entry's time is
    // truncated to the millisecond, so a second of slack separates rounding from a token that outlives its decision.
    private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(1);

    private readonly Dictionary<DecisionKey, int> _decisions = [];
    private readonly Dictionary<DecisionTerms, int> _termNumbers = [];
    private readonly List<DecisionTerms> _terms = [];
    private readonly Dictionary<UInt128, string> _obligationNames = [];
    private readonly Dictionary<string, PolicyIndex> _indexes = new(StringComparer.Ordinal);

    /// <summary>Sizes the table of decisions for <paramref name="decisions"/> of them, so that it is not grown (and briefly held twice) while reading.</summary>
    public void Expect(int decisions) => _decisions.EnsureCapacity(decisions);

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

        _decisions[Key(decisionId)] = Intern(Judge(index, decisionId, effect, body));
    }

    // Re-decides one decision, and returns the terms its tokens and egress are held to: as its entry states them, with
    // its record's token lifetime when the record reads, and the egress obligations of the re-made decision when it
    // could be re-made (what the agreement demands, even when the record says otherwise).
    private DecisionTerms Judge(long index, string decisionId, string effect, JsonElement body)
    {
        var terms = new DecisionTerms(effect == "permit", JsonMembers.Text(body, "recipient"), JsonMembers.Text(body, "dataset"), Number(body, "datasetVersion"), null, null);
        if (!body.TryGetProperty("record", out var recordJson) || recordJson.ValueKind != JsonValueKind.Object || !recordJson.TryGetProperty("version", out _))
        {
            // Invariant: entries from before every decision carried a record (the `gatewayOverride` wrapper) are denies
            // the engine did not make; they are counted, never replayed (docs/formats/decision-record.md).
            count("decisionsNotReplayable");
            return terms;
        }

        if (!DecisionRecordV1.TryParse(JsonSerializer.SerializeToUtf8Bytes(recordJson), out var record, out var error))
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}`: its record does not read: {error.Message}"));
            return terms;
        }

        terms = terms with { TokenLifetime = record.Obligations.TokenLifetime };
        if (DecisionNames.ToName(record.Effect) != effect)
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}` says `{effect}`, its record `{DecisionNames.ToName(record.Effect)}`"));
            return terms;
        }

        if (JsonMembers.Text(body, "agreementDigest") is { } digest && (record.Agreements.Count == 0 || record.Agreements[0].Digest.ToString() != digest))
        {
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error($"entry {index}: decision `{decisionId}` names agreement digest `{digest}`, which is not the governing agreement of its record"));
            return terms;
        }

        if (record.Agreements.Count == 0 || !record.Agreements.All(a => versions.ContainsKey(a.Digest)))
        {
            count("decisionsNotReplayable");
            return terms;
        }

        var isSame = record.Replay(Index(record.Agreements), out var replayed);
        terms = terms with { EgressObligations = ObligationsDigest(DecisionNames.ToEgressNames(replayed.Obligations)) };
        if (!isSame)
        {
            var reasons = string.Join(", ", replayed.Reasons.Select(r => r.Clause is { } clause ? $"{DecisionNames.ToName(r.Code)}: {clause}" : DecisionNames.ToName(r.Code)));
            fail(EvidenceErrorCodes.DecisionNotReplayed.Error(
                $"entry {index}: decision `{decisionId}` ({DecisionNames.ToName(record.Effect)} `{record.Request.Purpose}` of `{record.Request.Dataset}` for `{record.Request.Recipient}`) is not what agreement `{record.Agreements[0].Id}` v{record.Agreements[0].Version} decides: {DecisionNames.ToName(replayed.Effect)} ({reasons})"));
            return terms;
        }

        count("decisionsReplayed");
        return terms;
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

        if (decision.EgressObligations is not { } demanded)
        {
            // The decision was not re-made (its record names another agreement, or does not read): nothing says what it demands.
            count("egressObligationsNotJudged");
        }
        else if (!body.TryGetProperty("obligations", out var logged))
        {
            // Entries written before the egress entry carried its obligations (docs/formats/gateway-entries.md).
            count("egressObligationsNotLogged");
        }
        else if (ReadNames(logged) is not { } names || ObligationsDigest(names) != demanded)
        {
            fail(EvidenceErrorCodes.EgressObligationsDiffer.Error(
                $"entry {index}: egress of decision `{decisionId}` to `{recipient}` logs obligations {(ReadNames(logged) is { } shown ? Show(shown) : "that are not an array of strings")}; the agreement's decision demands {_obligationNames[demanded]}"));
            return;
        }
        else
        {
            count("egressObligationsChecked");
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

    private static List<string>? ReadNames(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = new List<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            names.Add(item.GetString()!);
        }

        return names;
    }

    private static string Show(IEnumerable<string> names) =>
        names.Any() ? $"[{string.Join("; ", names.Order(StringComparer.Ordinal))}]" : "none";

    // The egress obligations as a set: the digest of their names, sorted, as a canonical JSON array; the names
    // themselves are kept once per distinct set, for messages.
    private UInt128 ObligationsDigest(IReadOnlyList<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        var digest = Digest(CanonicalJson.Canonicalize(new JsonArray([.. sorted.Select(n => (JsonNode)n)])));
        if (!_obligationNames.ContainsKey(digest))
        {
            _obligationNames[digest] = Show(sorted);
        }

        return digest;
    }

    // Invariant: a decision id is kept as the first 16 bytes of its SHA-256, so the table costs the same per decision
    // whatever the ids' length. Two ids with one key would act as one id logged twice (the later decision's facts
    // count), which the log itself could already say; finding such a pair takes about 2^64 hashes.
    private static DecisionKey Key(string decisionId)
    {
        var length = Encoding.UTF8.GetByteCount(decisionId);
        var utf8 = length <= 256 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(decisionId, utf8);
        var digest = Digest(utf8);
        return new DecisionKey((ulong)digest, (ulong)(digest >> 64));
    }

    private static UInt128 Digest(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    private DecisionTerms? Find(string decisionId) => _decisions.TryGetValue(Key(decisionId), out var number) ? _terms[number] : null;

    // Invariant: terms repeat across decisions (recipients × datasets × versions × obligations of the agreement), so
    // each distinct one is kept once and a decision holds its number; a pack whose every decision differs costs one
    // entry here per decision, as a record per decision would.
    private int Intern(DecisionTerms terms)
    {
        if (!_termNumbers.TryGetValue(terms, out var number))
        {
            number = _terms.Count;
            _terms.Add(terms);
            _termNumbers[terms] = number;
        }

        return number;
    }

    // Two 8-byte halves rather than a UInt128, whose 16-byte alignment pads each dictionary entry from 32 to 48 bytes.
    private readonly record struct DecisionKey(ulong Low, ulong High);

    // What tokens and egress of a decision are held to; EgressObligations is the digest of the names of the obligations
    // an egress carries out (DecisionNames.ToEgressNames), of the re-made decision.
    private readonly record struct DecisionTerms(bool IsPermit, string? Recipient, string? Dataset, long? DatasetVersion, TimeSpan? TokenLifetime, UInt128? EgressObligations);
}
