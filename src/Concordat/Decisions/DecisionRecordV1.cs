using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// Version 1 of the decision record: one decision bound to its request and time, with the agreements (by
/// digest) and engine version that decided it, so that it can be replayed later and give the same answer.
/// </summary>
/// <remarks>
/// Written as RFC 8785 canonical JSON (docs/formats/decision-record.md). The request holds ids only, never
/// personal data. Readers MUST reject a record whose <c>version</c> is not 1 and MUST ignore <c>message</c> texts,
/// which are for people.
/// </remarks>
/// <param name="Digest">The digest of the content, written as the record's <c>id</c> member.</param>
/// <param name="Time">The time of the request.</param>
/// <param name="EngineVersion">The engine version that decided, <see cref="CurrentEngineVersion"/> for new records.</param>
/// <param name="Request">The request.</param>
/// <param name="Effect">The effect.</param>
/// <param name="Reasons">The reasons.</param>
/// <param name="Obligations">The obligations.</param>
/// <param name="Agreements">The agreements that decided.</param>
/// <param name="DiagnosticCodes">The codes of the decision's diagnostics (evaluation errors).</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public sealed record DecisionRecordV1(DecisionDigest Digest, DateTimeOffset Time, string EngineVersion, DecisionRequest Request, Effect Effect, IReadOnlyList<Reason> Reasons, Obligations Obligations, IReadOnlyList<AgreementReference> Agreements, IReadOnlyList<string> DiagnosticCodes)
{
    /// <summary>The format version written in <c>version</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>The version of the decision semantics this library implements (docs/design/decisions.md).</summary>
    public const string CurrentEngineVersion = "concordat-decisions/1";

    /// <summary>
    /// Gets the dataset and recipient attributes the deciding clauses' conditions read, with values and sources
    /// (<c>attributes</c>; left out when empty, so records of agreements without conditions are as before).
    /// </summary>
    public IReadOnlyList<AttributeValue> Attributes { get; init; } = [];

    /// <summary>Makes the record of <paramref name="decision"/> for <paramref name="request"/>, computing its digest.</summary>
    /// <remarks>Allocates: call it when the record is written, not on the decision's hot path.</remarks>
    /// <param name="request">The request that was decided.</param>
    /// <param name="decision">The decision.</param>
    /// <returns>The record.</returns>
    public static DecisionRecordV1 Create(in DecisionRequest request, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var record = new DecisionRecordV1(default, request.Time, CurrentEngineVersion, request, decision.Effect, decision.Reasons, decision.Obligations, decision.Agreements, [.. decision.Diagnostics.Select(d => d.Code)])
        {
            Attributes = decision.Attributes,
        };
        return record with { Digest = record.ComputeDigest() };
    }

    /// <summary>Writes the record as a JSON object (member order is irrelevant: canonical bytes sort them).</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToJson()
    {
        var json = WithoutDigest();
        json["id"] = Digest.Value;
        return json;
    }

    /// <summary>Writes the record's RFC 8785 canonical JSON bytes.</summary>
    /// <returns>The UTF-8 bytes.</returns>
    public byte[] ToCanonicalJson() => CanonicalJson.Canonicalize(ToJson());

    /// <summary>Tells whether <paramref name="other"/> says the same: effect, reasons, obligations, agreements and diagnostics.</summary>
    /// <param name="other">The other record, typically a replay.</param>
    /// <returns><see langword="true"/> when the answers are the same.</returns>
    public bool HasSameAnswer(DecisionRecordV1 other) =>
        other is not null
        && Effect == other.Effect
        && Reasons.SequenceEqual(other.Reasons)
        && Obligations.Equals(other.Obligations)
        && Agreements.SequenceEqual(other.Agreements)
        && DiagnosticCodes.SequenceEqual(other.DiagnosticCodes)
        && Attributes.SequenceEqual(other.Attributes);

    /// <summary>Decides the record's request again with <paramref name="index"/> and compares the answers.</summary>
    /// <remarks>
    /// A record denied with <see cref="ReasonCode.ActionNotAvailable"/> alone was refused by its host before any
    /// agreement was read: its replay is that refusal again (<see cref="Decision.ActionNotAvailable"/>), not the
    /// index's answer, which the host never asked for.
    /// </remarks>
    /// <param name="index">The index compiled from the agreements the record names.</param>
    /// <param name="replayed">The record the index gives now.</param>
    /// <returns><see langword="true"/> when the answer is the same as recorded.</returns>
    public bool Replay(PolicyIndex index, out DecisionRecordV1 replayed)
    {
        ArgumentNullException.ThrowIfNull(index);
        var refusedByHost = Effect == Effect.Deny && Reasons is [{ Code: ReasonCode.ActionNotAvailable }];
        replayed = Create(Request, refusedByHost ? Decision.ActionNotAvailable : index.Decide(Request));
        return HasSameAnswer(replayed);
    }

    /// <summary>Reads a record written by <see cref="ToCanonicalJson"/>.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <param name="record">The record, when the bytes hold a well-formed version 1 record.</param>
    /// <param name="error">What is wrong (code <c>POL3004</c>), when they do not.</param>
    /// <returns><see langword="true"/> when the record was read.</returns>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A malformed record is a diagnostic, whatever part of it is wrong")]
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out DecisionRecordV1? record, [NotNullWhen(false)] out Diagnostic? error)
    {
        record = null;
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != FormatVersion)
            {
                error = RecordError($"unsupported decision record version `{root.GetProperty("version")}`");
                return false;
            }

            if (!DecisionJson.TryReadRequest(root.GetProperty("request"), null, out var request, out error))
            {
                return false;
            }

            if (!DecisionNames.TryParseEffect(root.GetProperty("effect").GetString(), out var effect))
            {
                error = RecordError($"unknown effect `{root.GetProperty("effect")}`");
                return false;
            }

            record = new DecisionRecordV1(
                new DecisionDigest(root.GetProperty("id").GetString()!),
                request.Time,
                root.GetProperty("engine").GetString()!,
                request,
                effect,
                [.. root.GetProperty("reasons").EnumerateArray().Select(ReadReason)],
                ReadObligations(root.GetProperty("obligations")),
                [.. root.GetProperty("agreements").EnumerateArray().Select(a => new AgreementReference(new AgreementId(a.GetProperty("id").GetString()!), a.GetProperty("version").GetInt32(), Sha256Digest.Parse(a.GetProperty("digest").GetString()!)))],
                [.. root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()!)])
            {
                Attributes = root.TryGetProperty("attributes", out var attributes) ? [.. attributes.EnumerateArray().Select(ReadAttribute)] : [],
            };
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = RecordError($"not a decision record: {ex.Message}");
            return false;
        }
    }

    private static Reason ReadReason(JsonElement json)
    {
        if (!DecisionNames.TryParseReasonCode(json.GetProperty("code").GetString(), out var code))
        {
            throw new FormatException($"unknown reason code `{json.GetProperty("code")}`");
        }

        string? Text(string name) => json.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new Reason(
            code,
            Text("agreement") is { } agreement ? new AgreementId(agreement) : null,
            Text("clause") is { } clause ? new ClauseId(clause) : null,
            Text("otherAgreement") is { } other ? new AgreementId(other) : null);
    }

    private static AttributeValue ReadAttribute(JsonElement json) =>
        json.GetProperty("source").GetString() == "agreement"
            ? new AttributeValue(json.GetProperty("attribute").GetString()!, json.TryGetProperty("value", out var value) ? value.GetString() : null, AttributeSource.Agreement)
            : throw new FormatException($"unknown attribute source `{json.GetProperty("source")}`");

    private static Obligations ReadObligations(JsonElement json)
    {
        var fieldRules = json.GetProperty("fieldRules").EnumerateArray().Select(r =>
            DecisionJson.TryParseFieldRuleKind(r.GetProperty("rule").GetString(), out var kind)
                ? new FieldRule(new FieldName(r.GetProperty("field").GetString()!), kind, r.TryGetProperty("parameter", out var p) ? p.GetString() : null)
                : throw new FormatException($"unknown field rule `{r.GetProperty("rule")}`"));
        return new Obligations(
            [.. fieldRules],
            json.GetProperty("requireConsent").GetBoolean(),
            json.TryGetProperty("residency", out var residency) ? [.. residency.EnumerateArray().Select(j => new Jurisdiction(j.GetString()!))] : null,
            json.TryGetProperty("tokenLifetime", out var lifetime) ? XmlConvert.ToTimeSpan(lifetime.GetString()!) : null,
            json.TryGetProperty("rateLimit", out var rate) ? new RateLimit(rate.GetProperty("requests").GetInt32(), XmlConvert.ToTimeSpan(rate.GetProperty("period").GetString()!)) : null,
            json.TryGetProperty("minGroupSize", out var minGroupSize) ? minGroupSize.GetInt32() : null,
            json.TryGetProperty("privacyBudget", out var budget) ? new PrivacyBudget(budget.GetProperty("epsilon").GetDouble(), budget.GetProperty("delta").GetDouble(), XmlConvert.ToTimeSpan(budget.GetProperty("period").GetString()!))
            {
                LifetimeEpsilon = budget.TryGetProperty("lifetimeEpsilon", out var lifetimeEpsilon) ? lifetimeEpsilon.GetDouble() : null,
            }
            : null);
    }

    private static Diagnostic RecordError(string message) =>
        DecisionErrorCodes.MalformedRecord.Error(message);

    private JsonObject WithoutDigest()
    {
        var json = WithoutAttributes();

        // Invariant: left out when empty, so every record written before attributes existed keeps its bytes and digest.
        if (Attributes.Count > 0)
        {
            json["attributes"] = new JsonArray([.. Attributes.Select(a => (JsonNode)(a.Value is null
                ? new JsonObject { ["attribute"] = a.Attribute, ["source"] = "agreement" }
                : new JsonObject { ["attribute"] = a.Attribute, ["value"] = a.Value, ["source"] = "agreement" }))]);
        }

        return json;
    }

    private JsonObject WithoutAttributes() => new()
    {
        ["version"] = FormatVersion,
        ["time"] = DecisionJson.FormatTime(Time),
        ["engine"] = EngineVersion,
        ["request"] = DecisionJson.WriteRequest(Request),
        ["effect"] = DecisionNames.ToName(Effect),
        ["reasons"] = new JsonArray([.. Reasons.Select(r => (JsonNode)DecisionJson.WriteReason(r))]),
        ["obligations"] = DecisionJson.WriteObligations(Obligations),
        ["agreements"] = new JsonArray([.. Agreements.Select(a => (JsonNode)new JsonObject { ["id"] = a.Id.Value, ["version"] = a.Version, ["digest"] = a.Digest.ToString() })]),
        ["diagnostics"] = new JsonArray([.. DiagnosticCodes.Select(c => JsonValue.Create(c))]),
    };

    // Invariant: the digest covers every byte of the record but itself, so equal digests mean equal records.
    private DecisionDigest ComputeDigest() => new(Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Canonicalize(WithoutDigest())).AsSpan(0, 16)));
}
