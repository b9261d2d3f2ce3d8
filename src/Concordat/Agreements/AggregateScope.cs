namespace Concordat.Agreements;

/// <summary>
/// What a grant lets an aggregate query use: the fields it may group by, measure and join on, and the caps on each
/// entity's contribution.
/// </summary>
/// <param name="Dimensions">The fields a query may group by; empty means any field the grant leaves as it is or generalises.</param>
/// <param name="Measures">The fields a query may sum or average; empty means any integer field the grant leaves as it is.</param>
/// <param name="JoinKeys">The fields a query may join the recipient's own table on; empty means no join.</param>
/// <param name="MaxGroupsPerEntity">The cap on the query's <c>maxGroupsPerEntity</c>, when the grant sets one below the gateway's.</param>
/// <param name="MaxRowsPerGroup">The cap on the query's <c>maxRowsPerGroup</c>, when the grant sets one below the gateway's.</param>
/// <remarks>Filters are not listed: a filter releases nothing by itself, and every noisy release counts the entity key.</remarks>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record AggregateScope(IReadOnlyList<FieldName> Dimensions, IReadOnlyList<FieldName> Measures, IReadOnlyList<FieldName> JoinKeys, int? MaxGroupsPerEntity, int? MaxRowsPerGroup)
{
    /// <summary>The largest contribution cap a grant may write.</summary>
    public const int MaxContribution = 1_000;

    /// <summary>Gets the columns of the recipient's own uploaded table a query may group by after a join; empty means none.</summary>
    /// <remarks>
    /// The names are the recipient table's columns, declared at upload, not the dataset's fields, so the agreement can
    /// only name them; a query's group keys still come from the domain it declares.
    /// </remarks>
    public IReadOnlyList<FieldName> JoinDimensions { get; init; } = [];

    /// <summary>Gets whether a query may take a dimension's group keys from the data by differentially private partition selection instead of a declared domain.</summary>
    /// <value>False: every group key comes from a domain the query declares.</value>
    /// <remarks>
    /// Partition selection costs δ as well as ρ, so the grant's <c>privacyBudget</c> MUST have δ &gt; 0 (AGR3504); with
    /// δ = 0 only pure-DP releases are allowed, and group keys must be declared.
    /// </remarks>
    public bool CanSelectPartitions { get; init; }
}
