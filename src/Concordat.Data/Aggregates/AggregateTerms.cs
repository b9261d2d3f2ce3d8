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
}
