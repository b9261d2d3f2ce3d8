using Concordat.Agreements;

namespace Concordat.Privacy.Accounting;

/// <summary>What a privacy budget belongs to: one recipient, under one agreement, through one grant.</summary>
/// <param name="Recipient">The recipient that asks.</param>
/// <param name="Agreement">The agreement the decision names.</param>
/// <param name="Grant">The grant the decision names; a query is charged to it.</param>
public readonly record struct BudgetKey(PartyId Recipient, AgreementId Agreement, ClauseId Grant);
