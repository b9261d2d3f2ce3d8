namespace Concordat.Gateway.Aggregates;

/// <summary>The noisy answer to an aggregate query.</summary>
/// <param name="DecisionId">The decision that permitted the query (its log entry and the spend's entry follow it).</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="DatasetVersion">The version aggregated.</param>
/// <param name="QueryDigest">The SHA-256 of the query's canonical JSON, as the log records it.</param>
/// <param name="Mechanism">The noise: <c>discrete-gaussian</c> or <c>discrete-laplace</c>.</param>
/// <param name="Budget">The budget after the query.</param>
/// <param name="Groups">The groups shown: those whose noisy distinct-entity count reached the minimum group size.</param>
/// <param name="SuppressedGroups">How many groups of the declared domains were suppressed.</param>
internal sealed record AggregateResponse(
    string DecisionId,
    string Dataset,
    int DatasetVersion,
    string QueryDigest,
    string Mechanism,
    BudgetQuote Budget,
    IReadOnlyList<AggregateGroupResponse> Groups,
    int SuppressedGroups);

/// <summary>One group shown: its key (dimension to value) and its noisy measures (measure name to value).</summary>
/// <param name="Key">The group's value of each dimension.</param>
/// <param name="Values">The noisy value of each measure.</param>
internal sealed record AggregateGroupResponse(IReadOnlyDictionary<string, string> Key, IReadOnlyDictionary<string, decimal> Values);

/// <summary>What a query costs and what its budget holds, as exact rationals written <c>n</c> or <c>n/d</c>.</summary>
/// <param name="Unit">What the figures count: <c>rho</c> (zCDP), or <c>epsilon</c> when the budget's δ is 0.</param>
/// <param name="Cost">What the query costs.</param>
/// <param name="Spent">Spent in the current period (after the query, unless it was refused or a dry run).</param>
/// <param name="Remaining">What can still be spent now (the lesser of the period's and the lifetime's rests).</param>
/// <param name="Capacity">What one period allows (less once partition selection has spent some of its δ).</param>
internal sealed record BudgetQuote(string Unit, string Cost, string Spent, string Remaining, string Capacity);

/// <summary>One grant's privacy budget for its recipient.</summary>
/// <param name="Recipient">The recipient.</param>
/// <param name="Agreement">The agreement.</param>
/// <param name="Grant">The grant the queries are charged to.</param>
/// <param name="Unit">What the figures count: <c>rho</c>, or <c>epsilon</c> when δ is 0.</param>
/// <param name="Epsilon">The grant's ε per period.</param>
/// <param name="Delta">The grant's δ.</param>
/// <param name="Period">The period (ISO 8601 duration).</param>
/// <param name="PeriodStart">When the current period started.</param>
/// <param name="Spent">Spent in the current period.</param>
/// <param name="Remaining">What can still be spent now.</param>
/// <param name="Capacity">What one period allows (less once partition selection has spent some of its δ).</param>
/// <param name="SpentInLifetime">Spent over all periods.</param>
/// <param name="RhoSpent">The total ρ of every query ever charged (what <c>concordat budget recompute</c> reports).</param>
/// <param name="Queries">The queries charged.</param>
/// <param name="LifetimeEpsilon">The grant's ε over all periods together, when it caps it.</param>
/// <param name="LifetimeCapacity">What all periods allow together (in <paramref name="Unit"/>), when the grant caps it.</param>
/// <param name="DeltaSpent">The total δ partition selection ever spent (what <c>concordat budget recompute</c> reports), when any.</param>
internal sealed record BudgetResponse(
    string Recipient,
    string Agreement,
    string Grant,
    string Unit,
    double Epsilon,
    double Delta,
    string Period,
    DateTimeOffset PeriodStart,
    string Spent,
    string Remaining,
    string Capacity,
    string SpentInLifetime,
    string RhoSpent,
    int Queries,
    double? LifetimeEpsilon = null,
    string? LifetimeCapacity = null,
    string? DeltaSpent = null);

/// <summary>What an upload of the caller's own table stored.</summary>
/// <param name="Table">The table id.</param>
/// <param name="Dataset">The dataset it joins with.</param>
/// <param name="Key">The join key field.</param>
/// <param name="Rows">The rows uploaded.</param>
/// <param name="Keys">The distinct keys kept, as pseudonyms only.</param>
/// <param name="KeysSha256">The SHA-256 of the stored pseudonyms.</param>
/// <param name="Dimensions">The columns kept, per key, for queries to group by after a join.</param>
internal sealed record RecipientTableResponse(string Table, string Dataset, string Key, long Rows, int Keys, string KeysSha256, IReadOnlyList<string> Dimensions);
