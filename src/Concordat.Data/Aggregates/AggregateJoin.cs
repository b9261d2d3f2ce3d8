using Concordat.Agreements;

namespace Concordat.Data.Aggregates;

/// <summary>A query's join with a table the recipient uploaded: only rows whose <paramref name="On"/> value is a key of the table count.</summary>
/// <param name="Table">The id of the recipient's table.</param>
/// <param name="On">The dataset's field whose values are matched, by pseudonym, with the table's key; the grant's <c>aggregates.joinKeys</c> MUST list it.</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateJoin(string Table, FieldName On);
