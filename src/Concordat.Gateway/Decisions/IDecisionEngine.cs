namespace Concordat.Gateway.Decisions;

/// <summary>
/// Decides requests against the agreements in force: the decisions library, seen from the gateway. An instance is
/// immutable and built for one set of agreements; the gateway swaps it when an agreement is activated.
/// </summary>
internal interface IDecisionEngine
{
    /// <summary>Decides one request; never throws for a request it cannot decide (that is a deny with a reason).</summary>
    GatewayDecision Decide(DecisionInput input);
}
