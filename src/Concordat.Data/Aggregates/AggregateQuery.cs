using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Data.Aggregates;

/// <summary>
/// An aggregate query as data (no free SQL): group-by dimensions over declared domains, measures, filters, contribution
/// bounds and the noise with its budget; read from JSON by <see cref="TryParse"/>, bound to a grant by
/// <see cref="AggregatePlan.TryCompile"/>.
/// </summary>
/// <param name="Dimensions">The group-by dimensions; none makes one group, the whole dataset.</param>
/// <param name="Measures">The measures, at least one.</param>
/// <param name="Filters">The filters, all of which a row must satisfy.</param>
/// <param name="MaxGroupsPerEntity">k: how many groups one entity may contribute to.</param>
/// <param name="MaxRowsPerGroup">How many rows of one entity count in one group.</param>
/// <param name="Mechanism">The noise.</param>
/// <param name="Budget">What the query spends: ρ for the discrete Gaussian, ε for the discrete Laplace.</param>
/// <param name="Digest">The SHA-256 of the query's canonical JSON (RFC 8785): what the log records of it.</param>
// CAUTION: persisted/public format; see docs/api.md
public sealed record AggregateQuery(
    IReadOnlyList<AggregateDimension> Dimensions,
    IReadOnlyList<AggregateMeasure> Measures,
    IReadOnlyList<AggregateFilter> Filters,
    int MaxGroupsPerEntity,
    int MaxRowsPerGroup,
    NoiseMechanism Mechanism,
    Rational Budget,
    Sha256Digest Digest)
{
    private static readonly string[] s_members = ["dimensions", "measures", "filters", "maxGroupsPerEntity", "maxRowsPerGroup", "mechanism", "rho", "epsilon", "join", "partitionDelta"];

    /// <summary>Reads a query from its JSON, reporting every problem at once, each naming the member at fault.</summary>
    /// <param name="json">The request body.</param>
    /// <param name="query">The query, when the JSON is one.</param>
    /// <param name="diagnostics">The problems (GW650x); empty on success.</param>
    /// <returns>Whether the JSON is a well-formed query.</returns>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out AggregateQuery? query, out IReadOnlyList<Diagnostic> diagnostics)
    {
        query = null;
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(AggregateErrorCodes.MalformedQuery.Error("the query must be a JSON object"));
            return false;
        }

        foreach (var member in json.EnumerateObject())
        {
            if (!s_members.Contains(member.Name, StringComparer.Ordinal))
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{member.Name}`: unknown member"));
            }
        }

        var dimensions = ReadArray(json, "dimensions", isRequired: false, problems, (item, path) => ReadDimension(item, path, problems));
        var measures = ReadArray(json, "measures", isRequired: true, problems, (item, path) => ReadMeasure(item, path, problems));
        var filters = ReadArray(json, "filters", isRequired: false, problems, (item, path) => ReadFilter(item, path, problems));
        var maxGroups = ReadCount(json, "maxGroupsPerEntity", problems);
        var maxRows = ReadCount(json, "maxRowsPerGroup", problems);
        var (mechanism, budget) = ReadNoise(json, problems);
        var join = ReadJoin(json, problems);
        if (measures is { Count: 0 })
        {
            problems.Add(AggregateErrorCodes.InvalidMeasure.Error("`measures`: give at least one measure"));
        }

        foreach (var name in measures?.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key) ?? [])
        {
            problems.Add(AggregateErrorCodes.DuplicateName.Error($"`measures`: the name `{name}` is used twice"));
        }

        foreach (var (field, _) in dimensions?.GroupBy(d => (d.Field, d.IsFromJoin)).Where(g => g.Count() > 1).Select(g => g.Key) ?? [])
        {
            problems.Add(AggregateErrorCodes.DuplicateName.Error($"`dimensions`: field `{field}` is a dimension twice"));
        }

        if (join is null && dimensions?.FindIndex(d => d.IsFromJoin) is >= 0 and var joinless)
        {
            problems.Add(AggregateErrorCodes.InvalidJoin.Error($"`dimensions[{joinless}].from`: `join` needs the query's `join`"));
        }

        var partitionDelta = ReadPartitionDelta(json, dimensions, problems);
        if (problems.Count > 0)
        {
            return false;
        }

        var digest = CanonicalJson.Digest(JsonNode.Parse(json.GetRawText()));
        query = new AggregateQuery(dimensions ?? [], measures!, filters ?? [], maxGroups, maxRows, mechanism, budget, digest) { Join = join, PartitionDelta = partitionDelta };
        return true;
    }

    /// <summary>Gets the join with a table the recipient uploaded, when the query asks for one.</summary>
    public AggregateJoin? Join { get; init; }

    /// <summary>Gets δ of the query's partition selection (its dimension has no domain), or <see langword="null"/> when every group key is declared.</summary>
    /// <remarks>The query spends it from the budget's δ besides its ρ; a smaller δ raises the threshold a group must clear.</remarks>
    public Rational? PartitionDelta { get; init; }

    // Partition selection: one dimension, the query's only one, and a δ (`partitionDelta`) for it; a δ without it is refused.
    private static Rational? ReadPartitionDelta(JsonElement json, List<AggregateDimension>? dimensions, List<Diagnostic> problems)
    {
        var selected = dimensions?.FindIndex(d => d.IsSelectedFromData) ?? -1;
        var has = json.TryGetProperty("partitionDelta", out var member);
        if (selected < 0)
        {
            if (has)
            {
                problems.Add(AggregateErrorCodes.InvalidDomain.Error("`partitionDelta`: only a query with a dimension without `domain` (partition selection) takes it"));
            }

            return null;
        }

        if (dimensions!.Count > 1)
        {
            problems.Add(AggregateErrorCodes.InvalidDomain.Error($"`dimensions[{(selected == 0 ? 1 : selected)}].domain`: partition selection takes the keys of a query's only dimension from the data; declare every domain or group by one dimension"));
        }

        if (!has)
        {
            problems.Add(AggregateErrorCodes.InvalidDomain.Error($"`dimensions[{selected}].domain`: required, an array of the dimension's values, unless `partitionDelta` asks for the groups the data has (partition selection, where the grant allows it)"));
            return null;
        }

        var text = member.ValueKind switch { JsonValueKind.Number => member.GetRawText(), JsonValueKind.String => member.GetString(), _ => null };
        if (!Rational.TryParse(text, out var delta) || !PartitionSelection.IsValid(delta))
        {
            problems.Add(AggregateErrorCodes.InvalidDomain.Error("`partitionDelta`: the δ of partition selection, from 10^-100 to below 1, such as `1/1000000`"));
            return null;
        }

        return delta;
    }

    private static AggregateJoin? ReadJoin(JsonElement json, List<Diagnostic> problems)
    {
        if (!json.TryGetProperty("join", out var join))
        {
            return null;
        }

        if (join.ValueKind != JsonValueKind.Object)
        {
            problems.Add(AggregateErrorCodes.MalformedQuery.Error("`join`: must be an object `{ \"table\": ..., \"on\": ... }`"));
            return null;
        }

        Unknown(join, "join", problems, "table", "on");
        var table = join.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (string.IsNullOrEmpty(table))
        {
            problems.Add(AggregateErrorCodes.MalformedQuery.Error("`join.table`: required, the id of a table you uploaded"));
        }

        var on = join.TryGetProperty("on", out var o) && o.ValueKind == JsonValueKind.String && o.GetString() is { Length: > 0 } text ? new FieldName(text) : (FieldName?)null;
        if (on is null)
        {
            problems.Add(AggregateErrorCodes.MalformedQuery.Error("`join.on`: required, the dataset's field to match with the table's key"));
        }

        return string.IsNullOrEmpty(table) || on is null ? null : new AggregateJoin(table, on.Value);
    }

    private static List<T>? ReadArray<T>(JsonElement json, string name, bool isRequired, List<Diagnostic> problems, Func<JsonElement, string, T?> read)
        where T : class
    {
        if (!json.TryGetProperty(name, out var array))
        {
            if (isRequired)
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{name}`: required"));
            }

            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{name}`: must be an array"));
            return null;
        }

        var list = new List<T>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{path}`: must be an object"));
            }
            else if (read(item, path) is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static AggregateDimension? ReadDimension(JsonElement item, string path, List<Diagnostic> problems)
    {
        Unknown(item, path, problems, "field", "domain", "from");
        var field = ReadField(item, path, problems);
        var isFromJoin = false;
        if (item.TryGetProperty("from", out var from))
        {
            isFromJoin = from.ValueKind == JsonValueKind.String && from.GetString() == "join";
            if (!isFromJoin && !(from.ValueKind == JsonValueKind.String && from.GetString() == "dataset"))
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{path}.from`: `dataset` (the default) or `join` (a column of the table `join` names)"));
            }
        }

        if (!item.TryGetProperty("domain", out var domain) && !isFromJoin)
        {
            // No domain: the keys come from the data by partition selection, which the query and the grant must allow.
            return field is { } selected ? new AggregateDimension(selected, []) { IsSelectedFromData = true } : null;
        }

        if (domain.ValueKind != JsonValueKind.Array)
        {
            problems.Add(AggregateErrorCodes.InvalidDomain.Error($"`{path}.domain`: required, an array of the dimension's values"));
            return null;
        }

        var values = ReadValues(domain, $"{path}.domain", problems);
        if (values is null)
        {
            return null;
        }

        if (values.Count is 0 or > AggregatePlan.MaxDomainSize || values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            problems.Add(AggregateErrorCodes.InvalidDomain.Error($"`{path}.domain`: give from 1 to {AggregatePlan.MaxDomainSize} distinct values"));
            return null;
        }

        return field is { } name ? new AggregateDimension(name, values) { IsFromJoin = isFromJoin } : null;
    }

    private static AggregateMeasure? ReadMeasure(JsonElement item, string path, List<Diagnostic> problems)
    {
        Unknown(item, path, problems, "name", "kind", "field", "lower", "upper", "quantile");
        var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name.Any(char.IsControl))
        {
            problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}.name`: required, a name of 1 to 64 characters"));
        }

        var kindText = item.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        MeasureKind? kind = kindText switch
        {
            "count" => MeasureKind.Count,
            "count-distinct" => MeasureKind.CountDistinct,
            "sum" => MeasureKind.Sum,
            "mean" => MeasureKind.Mean,
            "quantile" => MeasureKind.Quantile,
            _ => null,
        };
        if (kind is null)
        {
            problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}.kind`: `{kindText}` is not `count`, `count-distinct`, `sum`, `mean` or `quantile`"));
            return null;
        }

        Rational? quantile = null;
        if (kind == MeasureKind.Quantile)
        {
            var text = item.TryGetProperty("quantile", out var q) ? q.ValueKind switch { JsonValueKind.Number => q.GetRawText(), JsonValueKind.String => q.GetString(), _ => null } : null;
            if (!Rational.TryParse(text, out var parsed) || !NoisyQuantile.IsValid(parsed))
            {
                problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}.quantile`: required, a number above 0 and at most 1 such as `0.5` or `1/2`, with a denominator of at most {NoisyQuantile.MaxDenominator}"));
                return null;
            }

            quantile = parsed;
        }
        else if (item.TryGetProperty("quantile", out _))
        {
            problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}.quantile`: only a `quantile` measure takes it"));
            return null;
        }

        if (kind is MeasureKind.Count or MeasureKind.CountDistinct)
        {
            if (item.TryGetProperty("field", out _) || item.TryGetProperty("lower", out _) || item.TryGetProperty("upper", out _))
            {
                problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}`: `{kindText}` takes no `field`, `lower` or `upper`"));
                return null;
            }

            return name is null ? null : new AggregateMeasure(name, kind.Value);
        }

        var field = ReadField(item, path, problems);
        var lower = ReadBound(item, path, "lower", problems);
        var upper = ReadBound(item, path, "upper", problems);
        if (lower is { } l && upper is { } u && (l > u || (l == 0 && u == 0)))
        {
            problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}`: `lower` ({l}) must not exceed `upper` ({u}), and they must not both be 0"));
            return null;
        }

        return name is null || field is null || lower is null || upper is null ? null : new AggregateMeasure(name, kind.Value, field, lower.Value, upper.Value) { Quantile = quantile };
    }

    private static AggregateFilter? ReadFilter(JsonElement item, string path, List<Diagnostic> problems)
    {
        Unknown(item, path, problems, "field", "op", "value", "values");
        var field = ReadField(item, path, problems);
        var opText = item.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        FilterOperator? op = opText switch
        {
            "=" => FilterOperator.Equal,
            "!=" or "≠" => FilterOperator.NotEqual,
            "<" => FilterOperator.Less,
            "<=" or "≤" => FilterOperator.LessOrEqual,
            ">" => FilterOperator.Greater,
            ">=" or "≥" => FilterOperator.GreaterOrEqual,
            "in" => FilterOperator.In,
            "between" => FilterOperator.Between,
            _ => null,
        };
        if (op is null)
        {
            problems.Add(AggregateErrorCodes.InvalidFilter.Error($"`{path}.op`: `{opText}` is not `=`, `!=`, `<`, `<=`, `>`, `>=`, `in` or `between`"));
            return null;
        }

        var isList = op is FilterOperator.In or FilterOperator.Between;
        var member = isList ? "values" : "value";
        if (!item.TryGetProperty(member, out var operand) || item.TryGetProperty(isList ? "value" : "values", out _))
        {
            problems.Add(AggregateErrorCodes.InvalidFilter.Error($"`{path}`: `{opText}` takes `{member}`"));
            return null;
        }

        var values = isList
            ? operand.ValueKind == JsonValueKind.Array ? ReadValues(operand, $"{path}.values", problems) : null
            : ReadValue(operand) is { } single ? new List<string> { single } : null;
        if (values is null || (op == FilterOperator.Between && values.Count != 2) || (op == FilterOperator.In && values.Count is 0 or > AggregatePlan.MaxDomainSize))
        {
            problems.Add(AggregateErrorCodes.InvalidFilter.Error($"`{path}.{member}`: {(op == FilterOperator.Between ? "two values" : op == FilterOperator.In ? $"from 1 to {AggregatePlan.MaxDomainSize} values" : "a string, number or boolean")}"));
            return null;
        }

        return field is { } name ? new AggregateFilter(name, op.Value, values) : null;
    }

    private static FieldName? ReadField(JsonElement item, string path, List<Diagnostic> problems)
    {
        if (item.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() is { Length: > 0 } text)
        {
            return new FieldName(text);
        }

        problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{path}.field`: required, a field name"));
        return null;
    }

    private static long? ReadBound(JsonElement item, string path, string name, List<Diagnostic> problems)
    {
        if (item.TryGetProperty(name, out var bound) && bound.ValueKind == JsonValueKind.Number && bound.TryGetInt64(out var value) && Math.Abs(value) <= AggregatePlan.MaxBound)
        {
            return value;
        }

        problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}.{name}`: required, an integer from -10^12 to 10^12"));
        return null;
    }

    private static List<string>? ReadValues(JsonElement array, string path, List<Diagnostic> problems)
    {
        var values = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (ReadValue(item) is not { } value)
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{path}[{values.Count}]`: must be a string, number or boolean"));
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    private static string? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static int ReadCount(JsonElement json, string name, List<Diagnostic> problems)
    {
        if (!json.TryGetProperty(name, out var count))
        {
            return 1;
        }

        if (count.ValueKind == JsonValueKind.Number && count.TryGetInt32(out var value) && value >= 1)
        {
            return value;
        }

        problems.Add(AggregateErrorCodes.InvalidContributionBound.Error($"`{name}`: a whole number from 1"));
        return 1;
    }

    private static (NoiseMechanism Mechanism, Rational Budget) ReadNoise(JsonElement json, List<Diagnostic> problems)
    {
        var text = json.TryGetProperty("mechanism", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "discrete-gaussian";
        if (text is not ("discrete-gaussian" or "discrete-laplace"))
        {
            problems.Add(AggregateErrorCodes.InvalidNoise.Error($"`mechanism`: `{text}` is not `discrete-gaussian` or `discrete-laplace`"));
            return default;
        }

        var mechanism = text == "discrete-gaussian" ? NoiseMechanism.DiscreteGaussian : NoiseMechanism.DiscreteLaplace;
        var (name, other) = mechanism == NoiseMechanism.DiscreteGaussian ? ("rho", "epsilon") : ("epsilon", "rho");
        if (json.TryGetProperty(other, out _))
        {
            problems.Add(AggregateErrorCodes.InvalidNoise.Error($"`{other}`: `{text}` spends `{name}`, not `{other}`"));
        }

        var budget = json.TryGetProperty(name, out var b) ? b : default;
        var budgetText = budget.ValueKind switch
        {
            JsonValueKind.Number => budget.GetRawText(),
            JsonValueKind.String => budget.GetString(),
            _ => null,
        };
        if (!Rational.TryParse(budgetText, out var value) || value.IsZero)
        {
            problems.Add(AggregateErrorCodes.InvalidNoise.Error($"`{name}`: required, a positive number such as `0.01` or `1/100`"));
            return (mechanism, default);
        }

        return (mechanism, value);
    }

    private static void Unknown(JsonElement item, string path, List<Diagnostic> problems, params string[] known)
    {
        foreach (var member in item.EnumerateObject())
        {
            if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                problems.Add(AggregateErrorCodes.MalformedQuery.Error($"`{path}.{member.Name}`: unknown member"));
            }
        }
    }
}
