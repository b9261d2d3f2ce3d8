namespace Concordat.Data.Aggregates;

/// <summary>What a measure computes per group.</summary>
// CAUTION: persisted/public format; see docs/api.md
public enum MeasureKind
{
    /// <summary><c>count</c>: rows, at most <c>maxRowsPerGroup</c> per entity.</summary>
    Count,

    /// <summary><c>count-distinct</c>: distinct entities (the dataset's entity key).</summary>
    CountDistinct,

    /// <summary><c>sum</c>: the sum of a field's values, each clamped to the measure's bounds.</summary>
    Sum,

    /// <summary><c>mean</c>: a noisy sum divided by a noisy count.</summary>
    Mean,

    /// <summary><c>quantile</c>: the q-quantile of a field's values, each clamped to the measure's bounds, by noisy binary search over them.</summary>
    Quantile,
}
