namespace Concordat.Agreements;

/// <summary>
/// A clause that permits a recipient to take actions on datasets for purposes, with obligations.
/// </summary>
/// <param name="Id">The clause id.</param>
/// <param name="Recipient">The recipient party.</param>
/// <param name="Datasets">The datasets.</param>
/// <param name="Purposes">The purposes (narrower purposes are covered too).</param>
/// <param name="Actions">The actions.</param>
/// <param name="FieldRules">Field rules; fields without a rule leave unchanged.</param>
/// <param name="RowRules">Row rules, when any.</param>
/// <param name="Jurisdictions">Where processing may happen; empty means anywhere not prohibited.</param>
/// <param name="Subprocessors">Subprocessors the recipient may use.</param>
/// <param name="Window">When the grant applies, inside the agreement's window; none means the whole agreement window.</param>
/// <param name="RateLimit">The rate limit, when any.</param>
/// <param name="TokenLifetime">The cap on a token's lifetime, when any.</param>
/// <param name="MinGroupSize">The minimum group size for aggregates, when any.</param>
/// <param name="PrivacyBudget">The differential-privacy budget for aggregates, when any.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Grant(ClauseId Id, PartyId Recipient, IReadOnlyList<DatasetId> Datasets, IReadOnlyList<PurposeId> Purposes, IReadOnlyList<DataAction> Actions, IReadOnlyList<FieldRule> FieldRules, RowRules? RowRules, IReadOnlyList<Jurisdiction> Jurisdictions, IReadOnlyList<PartyId> Subprocessors, TimeWindow? Window, RateLimit? RateLimit, TimeSpan? TokenLifetime, int? MinGroupSize, PrivacyBudget? PrivacyBudget)
{
    /// <summary>Gets the collections whose datasets the grant also covers.</summary>
    public IReadOnlyList<CollectionId> Collections { get; init; } = [];

    /// <summary>Gets the groups whose members the grant also permits, each as a recipient.</summary>
    public IReadOnlyList<GroupId> Groups { get; init; } = [];

    /// <summary>Gets the condition under which the grant permits, when any.</summary>
    public Condition? When { get; init; }

    /// <summary>Gets what the grant lets aggregate queries group by, measure and join on, when it says.</summary>
    public AggregateScope? Aggregates { get; init; }
}
