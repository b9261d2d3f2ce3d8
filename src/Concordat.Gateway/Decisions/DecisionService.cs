using System.Text.Json;
using Concordat.Agreements;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Registry;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// Decides a request against the agreements in force, adds the gateway's own limits (the identity's role, the
/// paths that do not exist yet) and makes the decision entry for the log.
/// </summary>
internal sealed class DecisionService(PolicyState policy, ILogger<DecisionService> logger)
{
    /// <summary>
    /// Decides what the agreements in force say, exactly as the decisions library and <c>concordat decide</c> do
    /// (<c>POST /v1/decisions</c>); the gateway's own limits on access are not applied, since nothing is accessed.
    /// </summary>
    public GatewayDecision DecideByAgreements(DecisionInput input) => Logged(policy.Engine.Decide(input), input);

    /// <summary>Decides an access; <paramref name="role"/> is the calling identity's role, when a client asks.</summary>
    public GatewayDecision Decide(DecisionInput input, IdentityRole? role)
    {
        var decision = policy.Engine.Decide(input);
        if (decision.IsPermit && input.Action != DataAction.ReadRows)
        {
            // Security: fail closed. A grant may name aggregate queries and snapshot downloads, but until those
            // paths exist the gateway cannot carry out their obligations (group sizes, privacy budgets).
            var path = input.Action == DataAction.AggregateQuery ? "aggregate query" : "snapshot download";
            decision = Deny(decision, new DecisionReason(null, $"the {path} path does not exist in this gateway yet: only `readRows` is served"));
        }

        if (decision.IsPermit && role is { } r && !Roles.Allows(r, input.Action))
        {
            decision = Deny(decision, new DecisionReason(null, $"identity role `{Roles.Name(r)}` does not allow action `{Roles.Name(input.Action)}`"));
        }

        return Logged(decision, input);
    }

    /// <summary>Makes the log entry of a decision.</summary>
    public static DecisionEntry ToEntry(GatewayDecision decision, DecisionInput input, IdentityId? clientId) => new(
        input.At,
        decision.DecisionId.Value,
        input.Recipient.Value,
        clientId?.Value,
        input.Dataset.Value,
        input.Purpose.Value,
        input.Jurisdiction.Value,
        Roles.Name(input.Action),
        decision.IsPermit ? "permit" : "deny",
        decision.Agreement?.Agreement.Id.Value,
        decision.Agreement?.Digest.ToString(),
        decision.Reasons.Select(r => r.ToString()).ToList(),
        decision.Record);

    /// <summary>The reasons a caller may see: those about itself or about no recipient in particular.</summary>
    public static IReadOnlyList<string> ReasonsFor(GatewayDecision decision, PartyId caller) =>
        decision.Reasons.Where(r => r.Audience is null || r.Audience.Contains(caller)).Select(r => r.ToString()).ToList();

    private GatewayDecision Logged(GatewayDecision decision, DecisionInput input)
    {
        LogMessages.Decided(logger, decision.DecisionId.Value, decision.IsPermit ? "permit" : "deny", input.Recipient.Value, input.Dataset.Value);
        return decision;
    }

    private static GatewayDecision Deny(GatewayDecision decision, DecisionReason reason) =>
        decision with { IsPermit = false, Obligations = null, Reasons = [.. decision.Reasons, reason], Record = WithGatewayReason(decision.Record, reason) };

    private static JsonElement? WithGatewayReason(JsonElement? record, DecisionReason reason)
    {
        // The engine's record is kept as it is; the gateway's override is stated next to it.
        var wrapper = new Dictionary<string, object?> { ["engine"] = record, ["gatewayOverride"] = new { effect = "deny", reason = reason.ToString() } };
        return JsonSerializer.SerializeToElement(wrapper, GatewayEntry.SerializerOptions);
    }
}
