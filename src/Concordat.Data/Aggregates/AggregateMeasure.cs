using Concordat.Agreements;
using Concordat.Privacy.Noise;

namespace Concordat.Data.Aggregates;

/// <summary>One measure of an aggregate query.</summary>
/// <param name="Name">The name the result gives the measure's column.</param>
/// <param name="Kind">What it computes.</param>
/// <param name="Field">The measured field, for <see cref="MeasureKind.Sum"/> and <see cref="MeasureKind.Mean"/>.</param>
/// <param name="Lower">The clamping lower bound (sum, mean and quantile).</param>
/// <param name="Upper">The clamping upper bound (sum, mean and quantile).</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateMeasure(string Name, MeasureKind Kind, FieldName? Field = null, long Lower = 0, long Upper = 0)
{
    /// <summary>Gets the most one row can move the measure's sum: the larger magnitude of the bounds.</summary>
    public long RowSensitivity => Math.Max(Math.Abs(Lower), Math.Abs(Upper));

    /// <summary>Gets q, for <see cref="MeasureKind.Quantile"/>: above 0, at most 1 (<c>1/2</c> is the median).</summary>
    public Rational? Quantile { get; init; }
}
