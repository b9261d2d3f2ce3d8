using Concordat.Agreements;

namespace Concordat.Data.Aggregates;

/// <summary>What the grant and the gateway impose on every aggregate query, whatever the query asks.</summary>
/// <param name="MinGroupSize">The grant's minimum group size, in distinct entities, applied to the noisy distinct-entity count; <see langword="null"/> for none.</param>
/// <param name="MaxGroupsPerEntity">The cap on the query's <c>maxGroupsPerEntity</c>.</param>
/// <param name="MaxRowsPerGroup">The cap on the query's <c>maxRowsPerGroup</c>.</param>
public sealed record AggregateTerms(int? MinGroupSize, int MaxGroupsPerEntity = AggregateTerms.DefaultMaxGroupsPerEntity, int MaxRowsPerGroup = AggregateTerms.DefaultMaxRowsPerGroup)
{
    /// <summary>The default cap on the groups one entity may contribute to.</summary>
    public const int DefaultMaxGroupsPerEntity = 16;

    /// <summary>The default cap on the rows of one entity that count in one group.</summary>
    public const int DefaultMaxRowsPerGroup = 16;

    /// <summary>Gets the fields the grant lets a query group by, measure and join on; null when the grant does not say (any field it lets through, and no join).</summary>
    public AggregateScope? Scope { get; init; }

    /// <summary>Gets the δ of the grant's privacy budget; partition selection needs it above 0. Null when the grant has no budget.</summary>
    public double? BudgetDelta { get; init; }

    /// <summary>The terms of <paramref name="grant"/>: its scope, and its contribution caps where they are below the gateway's.</summary>
    /// <param name="grant">The grant the decision names.</param>
    /// <param name="minGroupSize">The decision's minimum group size (the largest of the permitting grants').</param>
    /// <returns>The terms.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="grant"/> is null.</exception>
    public static AggregateTerms For(Grant grant, int? minGroupSize)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var scope = grant.Aggregates;
        return new AggregateTerms(
            minGroupSize,
            Math.Min(DefaultMaxGroupsPerEntity, scope?.MaxGroupsPerEntity ?? int.MaxValue),
            Math.Min(DefaultMaxRowsPerGroup, scope?.MaxRowsPerGroup ?? int.MaxValue))
        {
            Scope = scope,
            BudgetDelta = grant.PrivacyBudget?.Delta,
        };
    }
}
