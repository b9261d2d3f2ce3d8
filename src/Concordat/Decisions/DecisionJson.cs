using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Decisions;

/// <summary>
/// The JSON forms of requests, reasons and obligations shared by decision records, the CLI and the HTTP API.
/// </summary>
/// <remarks>Absent values are left out rather than written as <c>null</c>; times are RFC 3339 UTC; durations ISO 8601.</remarks>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public static class DecisionJson
{
    private static readonly string[] s_requiredRequestMembers = ["recipient", "action", "dataset", "purpose", "jurisdiction"];
    private static readonly string[] s_fieldRuleKinds = ["allow", "drop", "mask", "pseudonymise", "generalise"];

    /// <summary>Writes a request (ids, the identity's role when one asks, and time).</summary>
    /// <param name="request">The request.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject WriteRequest(in DecisionRequest request)
    {
        var json = new JsonObject
        {
            ["recipient"] = request.Recipient.Value,
            ["action"] = DecisionNames.ToName(request.Action),
            ["dataset"] = request.Dataset.Value,
            ["purpose"] = request.Purpose.Value,
            ["jurisdiction"] = request.Jurisdiction.Value,
            ["time"] = FormatTime(request.Time),
        };
        if (request.Subprocessor is { } subprocessor)
        {
            json["subprocessor"] = subprocessor.Value;
        }

        if (request.Role is { } role)
        {
            json["role"] = DecisionNames.ToName(role);
        }

        return json;
    }

    /// <summary>Reads a request written by <see cref="WriteRequest"/>; <c>time</c> may be left out when <paramref name="defaultTime"/> is given.</summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="defaultTime">The time to use when the JSON has none, such as now from the caller's <see cref="TimeProvider"/>.</param>
    /// <param name="request">The request, when the JSON is well formed.</param>
    /// <param name="error">One line saying what is wrong, when it is not (code <c>POL3003</c>).</param>
    /// <returns><see langword="true"/> when the request was read.</returns>
    public static bool TryReadRequest(JsonElement json, DateTimeOffset? defaultTime, out DecisionRequest request, [NotNullWhen(false)] out Diagnostic? error)
    {
        request = default;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = RequestError("the request must be a JSON object");
            return false;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (property.Name is not ("recipient" or "action" or "dataset" or "purpose" or "jurisdiction" or "subprocessor" or "role" or "time"))
            {
                error = RequestError($"unknown request member `{property.Name}`");
                return false;
            }
        }

        string? Text(string name) => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var missing = s_requiredRequestMembers.FirstOrDefault(n => string.IsNullOrEmpty(Text(n)));
        if (missing is not null)
        {
            error = RequestError($"the request needs `{missing}` as a non-empty string");
            return false;
        }

        if (!DecisionNames.TryParseAction(Text("action"), out var action))
        {
            error = RequestError($"unknown action `{Text("action")}`", "use read-rows, aggregate-query or download-snapshot");
            return false;
        }

        IdentityRole? role = null;
        if (json.TryGetProperty("role", out var roleJson))
        {
            if (!DecisionNames.TryParseRole(Text("role"), out var named))
            {
                error = RequestError($"unknown role `{roleJson}`", "use ingestion, training, deployment or analysis");
                return false;
            }

            role = named;
        }

        DateTimeOffset time;
        if (Text("time") is { } timeText)
        {
            if (!TryParseTime(timeText, out time))
            {
                error = RequestError($"time `{timeText}` is not an RFC 3339 date-time", "write it like 2026-06-01T12:00:00Z");
                return false;
            }
        }
        else if (defaultTime is { } fallback)
        {
            time = fallback;
        }
        else
        {
            error = RequestError("the request needs `time` as an RFC 3339 date-time");
            return false;
        }

        var subprocessor = Text("subprocessor");
        request = new DecisionRequest(new PartyId(Text("recipient")!), action, new DatasetId(Text("dataset")!), new PurposeId(Text("purpose")!), new Jurisdiction(Text("jurisdiction")!), subprocessor is null ? null : new PartyId(subprocessor), time, role);
        error = null;
        return true;
    }

    /// <summary>Writes a reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject WriteReason(Reason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var json = new JsonObject { ["code"] = DecisionNames.ToName(reason.Code) };
        AddIfPresent(json, "agreement", reason.Agreement?.Value);
        AddIfPresent(json, "clause", reason.Clause?.Value);
        AddIfPresent(json, "otherAgreement", reason.OtherAgreement?.Value);
        json["message"] = reason.ToString();
        return json;
    }

    /// <summary>Writes obligations.</summary>
    /// <param name="obligations">The obligations.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject WriteObligations(Obligations obligations)
    {
        ArgumentNullException.ThrowIfNull(obligations);
        var fieldRules = new JsonArray();
        foreach (var rule in obligations.FieldRules)
        {
            var ruleJson = new JsonObject { ["field"] = rule.Field.Value, ["rule"] = s_fieldRuleKinds[(int)rule.Kind] };
            AddIfPresent(ruleJson, "parameter", rule.Parameter);
            fieldRules.Add(ruleJson);
        }

        var json = new JsonObject { ["fieldRules"] = fieldRules, ["requireConsent"] = obligations.RequireConsent };
        if (obligations.Residency is { } residency)
        {
            json["residency"] = new JsonArray([.. residency.Select(j => JsonValue.Create(j.Value))]);
        }

        AddIfPresent(json, "tokenLifetime", obligations.TokenLifetime is { } lifetime ? XmlConvert.ToString(lifetime) : null);
        if (obligations.RateLimit is { } rate)
        {
            json["rateLimit"] = new JsonObject { ["requests"] = rate.Requests, ["period"] = XmlConvert.ToString(rate.Period) };
        }

        if (obligations.MinGroupSize is { } minGroupSize)
        {
            json["minGroupSize"] = minGroupSize;
        }

        if (obligations.PrivacyBudget is { } budget)
        {
            json["privacyBudget"] = new JsonObject { ["epsilon"] = budget.Epsilon, ["delta"] = budget.Delta, ["period"] = XmlConvert.ToString(budget.Period) };
            if (budget.LifetimeEpsilon is { } lifetimeEpsilon)
            {
                json["privacyBudget"]!["lifetimeEpsilon"] = lifetimeEpsilon;
            }
        }

        return json;
    }

    /// <summary>Writes a decision with its request as the CLI and the HTTP API return it: the decision record.</summary>
    /// <param name="request">The request.</param>
    /// <param name="decision">The decision.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject WriteDecision(in DecisionRequest request, Decision decision) => DecisionRecordV1.Create(request, decision).ToJson();

    /// <summary>Formats an instant as RFC 3339 UTC with as many fraction digits as it needs.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 date-time, which MUST carry <c>Z</c> or an offset.</summary>
    internal static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && (text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'));

    internal static bool TryParseFieldRuleKind(string? name, out FieldRuleKind kind)
    {
        var index = Array.IndexOf(s_fieldRuleKinds, name);
        kind = (FieldRuleKind)Math.Max(index, 0);
        return index >= 0;
    }

    private static void AddIfPresent(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }

    private static Diagnostic RequestError(string message, string? help = null) =>
        DecisionErrorCodes.MalformedRequest.Error(message, null, help);
}
