using Concordat.Agreements;

namespace Concordat.Data.Aggregates;

/// <summary>One group-by dimension: a field and the declared set of its values, each of which is a group key.</summary>
/// <param name="Field">The field, as the grant lets it leave (a generalised field groups by its generalised value).</param>
/// <param name="Domain">The values, as text (a number as written in JSON, a boolean as <c>true</c>/<c>false</c>).</param>
/// <remarks>
/// Security: group keys come from the query, never from the data, so a group's presence in the answer says nothing
/// about the data; or, when the grant allows it, from the data by differentially private partition selection
/// (<see cref="IsSelectedFromData"/>), which spends δ.
/// </remarks>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateDimension(FieldName Field, IReadOnlyList<string> Domain)
{
    /// <summary>Gets whether <see cref="Field"/> is a column of the recipient's table the query joins (<c>"from": "join"</c>) rather than a field of the dataset.</summary>
    /// <remarks>The grant's <c>aggregates.joinDimensions</c> MUST list the column, and the table MUST have kept it at upload.</remarks>
    public bool IsFromJoin { get; init; }

    /// <summary>Gets whether the query left out the domain, so the group keys come from the data by differentially private partition selection (<see cref="Domain"/> is then empty).</summary>
    /// <remarks>The grant MUST allow it (<c>aggregates.partitionSelection</c>) and its budget MUST have δ &gt; 0; the query's <c>partitionDelta</c> sets the threshold.</remarks>
    public bool IsSelectedFromData { get; init; }
}
