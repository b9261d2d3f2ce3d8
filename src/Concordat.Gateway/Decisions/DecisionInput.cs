using Concordat.Agreements;

namespace Concordat.Gateway.Decisions;

/// <summary>A request to decide: who, which dataset, why, where, which action, when and, if any, through which subprocessor.</summary>
internal sealed record DecisionInput(PartyId Recipient, DatasetId Dataset, PurposeId Purpose, Jurisdiction Jurisdiction, DataAction Action, DateTimeOffset At, PartyId? Subprocessor = null);
