using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Data.Aggregates;

/// <summary>
/// An aggregate query bound to the egress plan of a permit: which stored fields it reads, how each is used, the
/// entity key, the grant's terms, and the noisy releases it makes with their exact cost.
/// </summary>
/// <remarks>
/// <para>
/// The grant's obligations apply first, through the <see cref="EgressPlan"/>: a dropped field cannot be named at all,
/// a pseudonymised or masked field cannot be a dimension, a filter or a measure, a generalised field groups by its
/// generalised value, and the consent and residency rules withhold rows before anything is counted.
/// </para>
/// <para>
/// The budget is split evenly over the releases: the distinct-entity count (always made: it decides suppression and
/// answers every <c>count-distinct</c>), the row count (when a <c>count</c> or <c>mean</c> asks), and one sum per
/// <c>sum</c> or <c>mean</c>, and one per step of each <c>quantile</c>'s noisy binary search (⌈log₂(upper − lower + 1)⌉
/// steps, each of sensitivity m·max(a, b − a) for q = a/b; see <see cref="NoisyQuantile"/>). With k groups per entity
/// and Δ per group, a release of the discrete Gaussian takes σ² = kΔ²R/(2ρ) and one of the discrete Laplace the scale
/// kΔR/ε, so the releases cost exactly the query's budget.
/// </para>
/// <para>
/// Partition selection (a dimension without a domain, <see cref="AggregateQuery.PartitionDelta"/>): the groups are the
/// values the counted rows have, and a group is shown only when its noisy distinct-entity count is at least
/// <see cref="PartitionThreshold"/>; the distinct-entity count's release then carries the query's δ as well.
/// </para>
/// </remarks>
public sealed class AggregatePlan
{
    /// <summary>The most values a dimension's domain or an <c>in</c> filter may list.</summary>
    public const int MaxDomainSize = 1_000;

    /// <summary>The most groups a query may make.</summary>
    public const int MaxGroups = 10_000;

    /// <summary>The largest magnitude of a clamping bound (sums then fit in 128 bits for any dataset).</summary>
    public const long MaxBound = 1_000_000_000_000;

    private AggregatePlan(AggregateQuery query, EgressPlan egress, int entityIndex, int? minGroupSize, CompiledDimension[] dimensions, CompiledFilter[] filters, CompiledMeasure[] measures, int groupCount, bool hasRows, (JoinedTable Table, int SourceIndex)? join)
    {
        Join = join;
        Query = query;
        Egress = egress;
        EntityIndex = entityIndex;
        MinGroupSize = minGroupSize;
        Dimensions = dimensions;
        Filters = filters;
        Measures = measures;
        GroupCount = groupCount;
        HasRows = hasRows;
        var sums = measures.Count(m => m.Kind is MeasureKind.Sum or MeasureKind.Mean);
        var steps = measures.Where(m => m.Search is not null).Sum(m => NoisyQuantile.StepsFor(m.Lower, m.Upper));
        var count = Rational.FromInteger(1 + (hasRows ? 1 : 0) + sums + steps);
        var k = query.MaxGroupsPerEntity;
        var releases = new List<NoiseRelease> { Release(Rational.FromInteger(1)) };
        if (query.PartitionDelta is { } delta)
        {
            // The distinct-entity count decides which groups the data has are shown: it carries partition selection's δ.
            var counted = releases[0];
            releases[0] = counted with { Delta = delta };
            PartitionThreshold = counted.Mechanism == NoiseMechanism.DiscreteGaussian
                ? PartitionSelection.GaussianThreshold(counted.Parameter, k, delta)
                : PartitionSelection.LaplaceThreshold(counted.Parameter, k, delta);
        }

        if (hasRows)
        {
            releases.Add(Release(Rational.FromInteger(query.MaxRowsPerGroup)));
        }

        foreach (var measure in measures.Where(m => m.Kind is MeasureKind.Sum or MeasureKind.Mean))
        {
            releases.Add(Release(Rational.FromInteger(query.MaxRowsPerGroup) * Rational.FromInteger(measure.Sensitivity)));
        }

        // Each step of a quantile's search is a release of its own: m values of one entity move its score by m·max(a, b − a).
        foreach (var measure in measures.Where(m => m.Search is not null))
        {
            for (var step = 0; step < NoisyQuantile.StepsFor(measure.Lower, measure.Upper); step++)
            {
                releases.Add(Release(Rational.FromInteger(query.MaxRowsPerGroup) * Rational.FromInteger(measure.Search!.Sensitivity)));
            }
        }

        Releases = releases;

        NoiseRelease Release(Rational sensitivity)
        {
            var parameter = query.Mechanism == NoiseMechanism.DiscreteGaussian
                ? Rational.FromInteger(k) * sensitivity * sensitivity * count / (Rational.FromInteger(2) * query.Budget)
                : Rational.FromInteger(k) * sensitivity * count / query.Budget;
            return new NoiseRelease(query.Mechanism, parameter, sensitivity, k);
        }
    }

    /// <summary>Gets the query.</summary>
    public AggregateQuery Query { get; }

    /// <summary>Gets the noisy releases, in order: distinct entities, rows (when any), one sum per sum or mean measure, then each quantile measure's search steps.</summary>
    public IReadOnlyList<NoiseRelease> Releases { get; }

    /// <summary>Gets the number of groups: the product of the domains' sizes (0 under partition selection: the data makes them).</summary>
    public int GroupCount { get; }

    /// <summary>Gets, under partition selection, τ: a group the data makes is shown only when its noisy distinct-entity count is at least τ; null when every group key is declared.</summary>
    /// <remarks>See <see cref="PartitionSelection"/>: a group one entity alone makes is shown with probability at most the query's δ over all its k groups.</remarks>
    public long? PartitionThreshold { get; }

    /// <summary>Gets the grant's minimum group size, when any.</summary>
    public int? MinGroupSize { get; }

    internal EgressPlan Egress { get; }

    internal int EntityIndex { get; }

    internal CompiledDimension[] Dimensions { get; }

    internal CompiledFilter[] Filters { get; }

    internal CompiledMeasure[] Measures { get; }

    internal bool HasRows { get; }

    /// <summary>The recipient's table and the stored field matched with its key, when the query joins.</summary>
    internal (JoinedTable Table, int SourceIndex)? Join { get; }

    /// <summary>Returns the spend the query makes, charged to <paramref name="key"/> at <paramref name="at"/>.</summary>
    /// <param name="key">The budget: the recipient, the agreement and the grant the decision names.</param>
    /// <param name="at">When the query runs.</param>
    /// <returns>The spend, which the log records.</returns>
    public PrivacySpend ToSpend(BudgetKey key, DateTimeOffset at) => new(key, at, Query.Digest.ToString(), Releases);

    /// <summary>Binds <paramref name="query"/> to the egress plan of a permit.</summary>
    /// <param name="query">The query.</param>
    /// <param name="egress">The plan compiled for the permit (its field and row rules); the aggregate plan reads it, and does not own it.</param>
    /// <param name="dataset">The agreement's definition of the dataset (its classifications name the entity key).</param>
    /// <param name="terms">The grant's and the gateway's terms.</param>
    /// <param name="plan">The plan, when the query fits the dataset and the grant.</param>
    /// <param name="diagnostics">Every problem (GW650x), each naming the member of the query at fault.</param>
    /// <param name="joined">The caller's table the query's <c>join</c> names, opened with the caller's pseudonym key for the dataset; null when the query joins nothing or the caller has no such table.</param>
    /// <returns>Whether the query can run.</returns>
    public static bool TryCompile(AggregateQuery query, EgressPlan egress, DatasetDefinition dataset, AggregateTerms terms, [NotNullWhen(true)] out AggregatePlan? plan, out IReadOnlyList<Diagnostic> diagnostics, JoinedTable? joined = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(terms);
        plan = null;
        var problems = new List<Diagnostic>();
        diagnostics = problems;
        // Invariant: the entity key is the dataset's `entityKey`, else the first field classified direct-identifier, in
        // schema order (a record number precedes a name in every sample); it is read from the stored rows, whatever the
        // grant does to it on egress.
        var key = dataset.ResolvedEntityKey;
        var entityIndex = key is null ? -1 : IndexOf(egress.Schema, key.Value);
        if (entityIndex < 0)
        {
            problems.Add(AggregateErrorCodes.NoEntityKey.Error($"dataset `{dataset.Id}` names no `entityKey` and classifies no field `direct-identifier`, so it has no entity key"));
        }

        if (query.MaxGroupsPerEntity > terms.MaxGroupsPerEntity)
        {
            problems.Add(AggregateErrorCodes.InvalidContributionBound.Error($"`maxGroupsPerEntity`: {query.MaxGroupsPerEntity} is above the cap of {terms.MaxGroupsPerEntity}"));
        }

        if (query.MaxRowsPerGroup > terms.MaxRowsPerGroup)
        {
            problems.Add(AggregateErrorCodes.InvalidContributionBound.Error($"`maxRowsPerGroup`: {query.MaxRowsPerGroup} is above the cap of {terms.MaxRowsPerGroup}"));
        }

        var join = query.Join is { } asked ? CompileJoin(asked, egress, terms, joined, problems) : null;
        var dimensions = new List<CompiledDimension>();
        long groups = 1;
        for (var i = 0; i < query.Dimensions.Count; i++)
        {
            var dimension = query.Dimensions[i];
            var path = $"dimensions[{i}].field";
            if (dimension.IsFromJoin)
            {
                if (CompileJoinDimension(dimension, path, join, terms, problems) is { } fromJoin)
                {
                    groups *= dimension.Domain.Count;
                    dimensions.Add(fromJoin);
                }

                continue;
            }

            if (Column(egress, dimension.Field, path, problems) is not { } column || !InScope(terms.Scope?.Dimensions, dimension.Field, path, "dimensions", problems))
            {
                continue;
            }

            if (column.Kind is not (FieldRuleKind.Allow or FieldRuleKind.Generalise))
            {
                problems.Add(AggregateErrorCodes.NotADimension.Error($"`{path}`: field `{dimension.Field}` is {Verb(column.Kind)} under the grant"));
                continue;
            }

            if (dimension.IsSelectedFromData)
            {
                CheckPartitionSelection(i, terms, problems);
            }
            else
            {
                groups *= dimension.Domain.Count;
            }

            dimensions.Add(new CompiledDimension(column.SourceIndex, column.Kind == FieldRuleKind.Generalise ? column.Generalisation : null, dimension.Domain) { IsSelectedFromData = dimension.IsSelectedFromData });
        }

        if (groups > MaxGroups)
        {
            problems.Add(AggregateErrorCodes.TooManyGroups.Error($"`dimensions`: the domains make {groups} groups, more than {MaxGroups}"));
        }

        var filters = new List<CompiledFilter>();
        for (var i = 0; i < query.Filters.Count; i++)
        {
            var filter = query.Filters[i];
            var path = $"filters[{i}]";
            if (Column(egress, filter.Field, $"{path}.field", problems) is { } column)
            {
                if (column.Kind != FieldRuleKind.Allow)
                {
                    problems.Add(AggregateErrorCodes.InvalidFilter.Error($"`{path}.field`: field `{filter.Field}` is {Verb(column.Kind)} under the grant"));
                }
                else if (CompiledFilter.TryCreate(column.SourceIndex, column.Type, filter, out var compiled, out var problem))
                {
                    filters.Add(compiled);
                }
                else
                {
                    problems.Add(AggregateErrorCodes.InvalidFilter.Error($"`{path}.values`: {problem}"));
                }
            }
        }

        var measures = new List<CompiledMeasure>();
        for (var i = 0; i < query.Measures.Count; i++)
        {
            var measure = query.Measures[i];
            if (measure.Field is not { } field)
            {
                measures.Add(new CompiledMeasure(measure.Kind, -1, 0, 0));
                continue;
            }

            var path = $"measures[{i}].field";
            if (Column(egress, field, path, problems) is { } column && InScope(terms.Scope?.Measures, field, path, "measures", problems))
            {
                if (column.Kind != FieldRuleKind.Allow || column.Type != FieldType.Integer)
                {
                    problems.Add(AggregateErrorCodes.InvalidMeasure.Error($"`{path}`: field `{field}` is not an integer the grant leaves as it is"));
                }
                else
                {
                    measures.Add(new CompiledMeasure(measure.Kind, column.SourceIndex, measure.Lower, measure.Upper)
                    {
                        Search = measure.Quantile is { } quantile ? new NoisyQuantile(quantile, measure.Lower, measure.Upper) : null,
                    });
                }
            }
        }

        if (problems.Count > 0)
        {
            return false;
        }

        var hasRows = query.Measures.Any(m => m.Kind is MeasureKind.Count or MeasureKind.Mean);
        plan = new AggregatePlan(query, egress, entityIndex, terms.MinGroupSize, [.. dimensions], [.. filters], [.. measures], query.PartitionDelta is null ? (int)groups : 0, hasRows, join);
        return true;
    }

    // Security: group keys from the data only when the grant allows it and its budget has δ > 0 to pay for it; with δ = 0
    // only pure-DP releases are allowed, and a group's mere presence would reveal that someone is in it.
    private static void CheckPartitionSelection(int index, AggregateTerms terms, List<Diagnostic> problems)
    {
        var path = $"dimensions[{index}].domain";
        if (terms.Scope is not { CanSelectPartitions: true })
        {
            problems.Add(AggregateErrorCodes.NotInGrantScope.Error($"`{path}`: required: the grant's `aggregates.partitionSelection` is not `true`, so every group key comes from a declared domain"));
        }
        else if (terms.BudgetDelta is not > 0)
        {
            problems.Add(AggregateErrorCodes.PartitionSelectionNeedsDelta.Error($"`{path}`: required: the grant's `privacyBudget.delta` is 0, which allows pure-DP releases only, and partition selection needs δ > 0"));
        }
    }

    private static EgressColumn? Column(EgressPlan egress, FieldName field, string path, List<Diagnostic> problems)
    {
        foreach (var column in egress.Columns)
        {
            if (column.Name == field)
            {
                return column;
            }
        }

        // Security: a dropped field and a missing one get the same answer, so the query cannot probe for dropped fields.
        problems.Add(AggregateErrorCodes.UnknownField.Error($"`{path}`: no field `{field}` under the grant"));
        return null;
    }

    private static (JoinedTable, int)? CompileJoin(AggregateJoin join, EgressPlan egress, AggregateTerms terms, JoinedTable? joined, List<Diagnostic> problems)
    {
        // Security: a join is allowed only on a field the grant lists; no list means no join. The field is matched in the
        // gateway by pseudonym and never released, so the grant's rule for it (even drop) does not matter.
        if (terms.Scope?.JoinKeys is not { Count: > 0 } keys || !keys.Contains(join.On))
        {
            problems.Add(AggregateErrorCodes.NotInGrantScope.Error($"`join.on`: the grant's `aggregates.joinKeys` does not list field `{join.On}`"));
            return null;
        }

        var index = IndexOf(egress.Schema, join.On);
        if (index < 0)
        {
            problems.Add(AggregateErrorCodes.UnknownField.Error($"`join.on`: no field `{join.On}` in the dataset"));
            return null;
        }

        if (joined is null || joined.Id != join.Table)
        {
            problems.Add(AggregateErrorCodes.InvalidJoin.Error($"`join.table`: you have uploaded no table `{join.Table}` for this dataset"));
            return null;
        }

        if (egress.Schema[index].Type != joined.KeyType)
        {
            problems.Add(AggregateErrorCodes.InvalidJoin.Error($"`join.on`: field `{join.On}` is of another type than table `{join.Table}`'s key"));
            return null;
        }

        return (joined, index);
    }

    private static CompiledDimension? CompileJoinDimension(AggregateDimension dimension, string path, (JoinedTable Table, int SourceIndex)? join, AggregateTerms terms, List<Diagnostic> problems)
    {
        // Security: unlike the dataset's own dimensions, no list means none: the grant MUST name each column it allows.
        if (terms.Scope?.JoinDimensions is not { Count: > 0 } allowed || !allowed.Contains(dimension.Field))
        {
            problems.Add(AggregateErrorCodes.NotInGrantScope.Error($"`{path}`: the grant's `aggregates.joinDimensions` does not list column `{dimension.Field}`"));
            return null;
        }

        if (join is not { } valid)
        {
            // The join itself was refused, and its problem names why.
            return null;
        }

        if (!valid.Table.Dimensions.Contains(dimension.Field))
        {
            problems.Add(AggregateErrorCodes.InvalidJoin.Error($"`{path}`: table `{valid.Table.Id}` kept no column `{dimension.Field}` to group by (declare it in `dimensions` at upload)"));
            return null;
        }

        // The row's group is read through its join field's pseudonym, so both paths ask the dimension about that field.
        return new CompiledDimension(valid.SourceIndex, null, dimension.Domain) { Joined = (valid.Table, dimension.Field) };
    }

    /// <summary>Whether the grant's list (when it has one) names <paramref name="field"/>; adds the problem when not.</summary>
    private static bool InScope(IReadOnlyList<FieldName>? allowed, FieldName field, string path, string member, List<Diagnostic> problems)
    {
        if (allowed is null || allowed.Count == 0 || allowed.Contains(field))
        {
            return true;
        }

        problems.Add(AggregateErrorCodes.NotInGrantScope.Error($"`{path}`: the grant's `aggregates.{member}` does not list field `{field}`"));
        return false;
    }

    private static string Verb(FieldRuleKind kind) => kind switch
    {
        FieldRuleKind.Pseudonymise => "pseudonymised",
        FieldRuleKind.Mask => "masked",
        FieldRuleKind.Generalise => "generalised",
        _ => "transformed",
    };

    private static int IndexOf(IReadOnlyList<DatasetSchemaField> schema, FieldName name)
    {
        for (var i = 0; i < schema.Count; i++)
        {
            if (schema[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A dimension: the stored field, its generalisation when the grant generalises it, and its domain.</summary>
    internal sealed class CompiledDimension
    {
        private readonly Dictionary<string, int> _domain;
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public CompiledDimension(int sourceIndex, Generalisation? generalisation, IReadOnlyList<string> domain)
        {
            SourceIndex = sourceIndex;
            Generalisation = generalisation;
            Domain = domain;
            _domain = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < domain.Count; i++)
            {
                _domain[domain[i]] = i;
            }

            _lookup = _domain.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int SourceIndex { get; }

        public Generalisation? Generalisation { get; }

        /// <summary>The recipient's table and its column, when the dimension is one of its columns; the stored value is then the join field's.</summary>
        public (JoinedTable Table, FieldName Column)? Joined { get; init; }

        public IReadOnlyList<string> Domain { get; }

        /// <summary>Gets whether the dimension's group keys come from the data (partition selection) rather than <see cref="Domain"/>.</summary>
        public bool IsSelectedFromData { get; init; }

        /// <summary>Finds the domain index of a value as the grant lets it leave; -1 when it is not in the domain.</summary>
        /// <param name="stored">The stored value.</param>
        /// <param name="totals">Under partition selection, the totals whose group for the value this is (made on first sight).</param>
        // Called once per row and dimension: compiled fully optimised at the first call (see EgressWriter).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int IndexOf(ReadOnlySpan<byte> stored, AggregateTotals? totals = null)
        {
            if (Joined is { } joined)
            {
                return joined.Table.ValueOf(joined.Column, stored) is { } column && _domain.TryGetValue(column, out var found) ? found : -1;
            }

            Span<byte> generalised = stackalloc byte[Math.Max(Privacy.Generalisation.MaxRangeLength, 256)];
            scoped ReadOnlySpan<byte> value = stored;
            if (Generalisation is { } rule)
            {
                if (stored.Length > 256 || !rule.TryApply(stored, generalised, out var written))
                {
                    // Security: a value the rule cannot coarsen is in no group, never grouped as it is.
                    return -1;
                }

                value = generalised[..written];
            }

            if (value.Length > 1024)
            {
                return -1;
            }

            Span<char> chars = stackalloc char[value.Length];
            if (!Encoding.UTF8.TryGetChars(value, chars, out var count))
            {
                return -1;
            }

            if (IsSelectedFromData)
            {
                return totals?.Partition(chars[..count]) ?? throw new InvalidOperationException("partition selection needs the totals its groups are made in");
            }

            return _lookup.TryGetValue(chars[..count], out var index) ? index : -1;
        }
    }

    /// <summary>A measure: what it computes and, for sum and mean, the stored field and the clamping bounds.</summary>
    internal sealed record CompiledMeasure(MeasureKind Kind, int SourceIndex, long Lower, long Upper)
    {
        public long Sensitivity => Math.Max(Math.Abs(Lower), Math.Abs(Upper));

        /// <summary>The noisy binary search of a quantile measure; null for the others.</summary>
        public NoisyQuantile? Search { get; init; }

        /// <summary>The row's value clamped to the bounds; a null or unreadable value counts as 0, clamped.</summary>
        public long Clamp(ReadOnlySpan<byte> stored)
        {
            var value = Utf8Parser.TryParse(stored, out long parsed, out var consumed) && consumed == stored.Length ? parsed : 0;
            return Math.Clamp(value, Lower, Upper);
        }
    }
}
