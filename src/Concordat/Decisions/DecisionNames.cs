using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// The names effects, reason codes, actions and identity roles have in JSON (decision records, the CLI, the HTTP API, test cases).
/// </summary>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public static class DecisionNames
{
    private static readonly string[] s_reasons =
    [
        "permitted-by-grant", "forbidden-by-clause", "not-permitted-by-any-grant", "agreement-not-in-force",
        "unknown-recipient", "unknown-dataset", "unknown-purpose", "conflicting-agreements", "outside-window",
        "jurisdiction-not-permitted", "subprocessor-not-permitted", "evaluation-error", "role-not-permitted",
        "action-not-available", "condition-not-met",
    ];

    private static readonly string[] s_actions = ["read-rows", "aggregate-query", "download-snapshot"];

    private static readonly string[] s_roles = ["ingestion", "training", "deployment", "analysis"];

    /// <summary>Names an effect: <c>permit</c> or <c>deny</c>.</summary>
    /// <param name="effect">The effect.</param>
    /// <returns>The name.</returns>
    public static string ToName(Effect effect) => effect == Effect.Permit ? "permit" : "deny";

    /// <summary>Names a reason code, such as <c>forbidden-by-clause</c>.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The name.</returns>
    public static string ToName(ReasonCode code) => s_reasons[(int)code];

    /// <summary>Names an action, such as <c>read-rows</c>.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The name.</returns>
    public static string ToName(DataAction action) => s_actions[(int)action];

    /// <summary>Names an identity role, such as <c>training</c>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The name.</returns>
    public static string ToName(IdentityRole role) => s_roles[(int)role];

    /// <summary>
    /// Names the obligations an egress carries out, as its log entry (<c>gateway.egress/v1</c>) and its attestation
    /// (<c>egress/v1</c>) list them: each field rule other than allow (<c>field `ssn`: drop</c>,
    /// <c>field `age`: generalise 10</c>), then <c>row: consent</c> and <c>row: residency NL,DE</c>; sorted by ordinal.
    /// </summary>
    /// <param name="obligations">A permit's obligations.</param>
    /// <returns>The names, sorted; empty when the egress changes nothing.</returns>
    /// <remarks>
    /// Token lifetime, rate limit, group size and budget are not named: they bind the token and the aggregates, not
    /// the bytes of an egress. Evidence verification compares a logged egress's names with these of its re-made decision.
    /// </remarks>
    public static IReadOnlyList<string> ToEgressNames(Obligations obligations)
    {
        ArgumentNullException.ThrowIfNull(obligations);
        var names = obligations.FieldRules.Where(r => r.Kind != FieldRuleKind.Allow)
            .Select(r => $"field `{r.Field.Value}`: {r.Kind.ToString().ToLowerInvariant()}{(r.Parameter is null ? string.Empty : $" {r.Parameter}")}")
            .ToList();
        if (obligations.RequireConsent)
        {
            names.Add("row: consent");
        }

        if (obligations.Residency is { } residency)
        {
            names.Add($"row: residency {string.Join(",", residency.Select(j => j.Value))}");
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Parses an effect name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="effect">The effect, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParseEffect(string? name, out Effect effect)
    {
        effect = name == "permit" ? Effect.Permit : Effect.Deny;
        return name is "permit" or "deny";
    }

    /// <summary>Parses a reason code name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="code">The code, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParseReasonCode(string? name, out ReasonCode code)
    {
        var index = Array.IndexOf(s_reasons, name);
        code = (ReasonCode)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses an action name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="action">The action, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParseAction(string? name, out DataAction action)
    {
        var index = Array.IndexOf(s_actions, name);
        action = (DataAction)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Parses an identity role name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="role">The role, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryParseRole(string? name, out IdentityRole role)
    {
        var index = Array.IndexOf(s_roles, name);
        role = (IdentityRole)Math.Max(index, 0);
        return index >= 0;
    }
}
