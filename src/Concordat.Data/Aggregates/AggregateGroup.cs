namespace Concordat.Data.Aggregates;

/// <summary>One group of an aggregate result that was not suppressed: its key and its noisy measures.</summary>
/// <param name="Key">The group's value of each dimension, in the query's order.</param>
/// <param name="Values">The noisy value of each measure, in the query's order: counts and sums whole, means rounded to six places.</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateGroup(IReadOnlyList<string> Key, IReadOnlyList<decimal> Values);
