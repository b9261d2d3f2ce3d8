using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Hosting;

namespace Concordat.Gateway.Decisions;

/// <summary>
/// Decides requests against the agreements in force with the decisions library, names each decision with a new
/// decision id, and logs it to the console; the caller writes its entry to the transparency log.
/// </summary>
internal sealed class DecisionService(PolicyState policy, GatewayMetrics metrics, ILogger<DecisionService> logger)
{
    /// <summary>
    /// Decides what the agreements in force say, exactly as the decisions library and <c>concordat decide</c> do
    /// (<c>POST /v1/decisions</c>): nothing is accessed, so every action is decided, served yet or not.
    /// </summary>
    public DecisionEvent DecideByAgreements(in DecisionRequest request)
    {
        var snapshot = policy.Current;
        return Logged(new DecisionEvent(NewId(), request, snapshot.Index.Decide(in request), snapshot));
    }

    /// <summary>
    /// Decides an access (a token, rows): the request names the role of the identity that asks, which the library
    /// checks; an action whose path the gateway does not serve yet (snapshot downloads) is denied with <c>action-not-available</c>.
    /// </summary>
    public DecisionEvent DecideAccess(in DecisionRequest request)
    {
        // Security: fail closed. A grant may name snapshot downloads, but until that path exists the gateway cannot
        // carry out its obligations; rows and aggregate queries (group sizes, privacy budgets) it serves.
        var snapshot = policy.Current;
        var decision = request.Action is DataAction.ReadRows or DataAction.AggregateQuery ? snapshot.Index.Decide(in request) : Decision.ActionNotAvailable;
        return Logged(new DecisionEvent(NewId(), request, decision, snapshot));
    }

    private static DecisionId NewId() => DecisionId.FromRandom(RandomNumberGenerator.GetBytes(DecisionId.RandomByteCount));

    private DecisionEvent Logged(DecisionEvent decision)
    {
        metrics.Decided(decision.IsPermit);
        LogMessages.Decided(logger, decision.Id.Value, decision.IsPermit ? "permit" : "deny", decision.Request.Recipient.Value, decision.Request.Dataset.Value);
        return decision;
    }
}
