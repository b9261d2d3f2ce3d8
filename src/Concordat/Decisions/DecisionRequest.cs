using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// A question put to the decision engine: may the recipient take the action on the dataset for the purpose,
/// processed in the jurisdiction, through the subprocessor if any, at the time, by an identity with the role if one
/// asks?
/// </summary>
/// <remarks>
/// The request carries its own time: the engine has no clock, so a decision can be replayed later and give the
/// same answer. Callers MUST set <see cref="Time"/> from their <see cref="TimeProvider"/>. The request holds ids
/// only, never personal data, because it is written into decision records as it is.
/// </remarks>
/// <param name="Recipient">The party asking for the data.</param>
/// <param name="Action">What it wants to do.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Purpose">Why, as a purpose of the agreement's vocabulary.</param>
/// <param name="Jurisdiction">Where the data will be processed.</param>
/// <param name="Subprocessor">The subprocessor that will process the data, when any.</param>
/// <param name="Time">When the request is made.</param>
/// <param name="Role">
/// The role of the service identity that asks, when one does: the request is denied with
/// <see cref="ReasonCode.RoleNotPermitted"/> when the role does not allow the action, whatever the agreement grants
/// (<see cref="IdentityRoles"/>). <see langword="null"/> when no identity asks (an operator's question, the CLI).
/// </param>
// CAUTION: persisted/public format (inside decision records); see docs/formats/decision-record.md
public readonly record struct DecisionRequest(PartyId Recipient, DataAction Action, DatasetId Dataset, PurposeId Purpose, Jurisdiction Jurisdiction, PartyId? Subprocessor, DateTimeOffset Time, IdentityRole? Role = null);
