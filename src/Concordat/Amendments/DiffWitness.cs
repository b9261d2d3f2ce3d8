using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// A request on which two versions of an agreement decide differently, with both decisions.
/// </summary>
/// <param name="Request">The request.</param>
/// <param name="Before">The old version's decision.</param>
/// <param name="After">The new version's decision.</param>
/// <param name="ObligationsOnly">Both permit, and only the obligations differ (for an aggregate query, also the permitting grant's aggregate scope).</param>
public sealed record DiffWitness(DecisionRequest Request, Decision Before, Decision After, bool ObligationsOnly);
