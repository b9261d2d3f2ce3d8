using Concordat.Agreements;

namespace Concordat.Data.Aggregates;

/// <summary>One filter of an aggregate query: rows whose field does not satisfy it are left out (null never does).</summary>
/// <param name="Field">The field.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Values">The operand(s) as text: one, two for <see cref="FilterOperator.Between"/>, one or more for <see cref="FilterOperator.In"/>.</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateFilter(FieldName Field, FilterOperator Operator, IReadOnlyList<string> Values);
