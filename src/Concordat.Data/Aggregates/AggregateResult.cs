using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Concordat.Data.Aggregates;

/// <summary>
/// The answer to an aggregate query: the groups whose noisy distinct-entity count reached the minimum group size, with
/// their noisy measures, and how many groups were suppressed, so totals stay honest.
/// </summary>
/// <param name="Dimensions">The dimensions' field names.</param>
/// <param name="Measures">The measures' names.</param>
/// <param name="Groups">The groups shown, in domain order (the first dimension varies slowest).</param>
/// <param name="SuppressedGroups">The groups left out because their noisy distinct-entity count was below the minimum group size.</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateResult(IReadOnlyList<string> Dimensions, IReadOnlyList<string> Measures, IReadOnlyList<AggregateGroup> Groups, int SuppressedGroups)
{
    /// <summary>Returns the result as JSON: <c>groups</c> (each with <c>key</c> and <c>values</c> objects) and <c>suppressedGroups</c>.</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToJson()
    {
        var groups = new JsonArray();
        foreach (var group in Groups)
        {
            var key = new JsonObject();
            for (var i = 0; i < Dimensions.Count; i++)
            {
                key[Dimensions[i]] = group.Key[i];
            }

            var values = new JsonObject();
            for (var i = 0; i < Measures.Count; i++)
            {
                values[Measures[i]] = group.Values[i];
            }

            groups.Add(new JsonObject { ["key"] = key, ["values"] = values });
        }

        return new JsonObject { ["groups"] = groups, ["suppressedGroups"] = SuppressedGroups };
    }

    /// <summary>Returns the result as CSV (RFC 4180): a header of the dimensions then the measures, one record per group shown.</summary>
    /// <returns>The CSV text, CRLF line ends.</returns>
    /// <remarks>CSV has no place for the suppressed-group count; the gateway sends it in a header.</remarks>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Dimensions.Concat(Measures).Select(Field)).Append("\r\n");
        foreach (var group in Groups)
        {
            csv.AppendJoin(',', group.Key.Select(Field).Concat(group.Values.Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append("\r\n");
        }

        return csv.ToString();
    }

    // Spec: RFC 4180 §2.6, §2.7: a field with a comma, quote, CR or LF is quoted, and its quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
