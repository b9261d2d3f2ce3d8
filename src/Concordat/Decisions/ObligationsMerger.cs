using System.Globalization;
using Concordat.Agreements;
using Concordat.Privacy;

namespace Concordat.Decisions;

/// <summary>
/// Merges the obligations of the grants that permit a request, keeping the most restrictive of each
/// (docs/design/decisions.md, "Overlapping grants").
/// </summary>
internal static class ObligationsMerger
{
    /// <summary>Merges the obligations of <paramref name="grants"/>; the result does not depend on their order.</summary>
    public static Obligations Merge(IEnumerable<Grant> grants)
    {
        var fields = new SortedDictionary<string, FieldRule>(StringComparer.Ordinal);
        var requireConsent = false;
        HashSet<string>? residency = null;
        TimeSpan? tokenLifetime = null;
        RateLimit? rateLimit = null;
        int? minGroupSize = null;
        PrivacyBudget? budget = null;
        foreach (var grant in grants)
        {
            foreach (var rule in grant.FieldRules)
            {
                fields[rule.Field.Value] = fields.TryGetValue(rule.Field.Value, out var existing) ? Stricter(existing, rule) : rule;
            }

            if (grant.RowRules is { } rows)
            {
                requireConsent |= rows.RequireConsent;
                if (rows.Residency.Count > 0)
                {
                    var these = JurisdictionGroups.ExpandMembers(rows.Residency.Select(j => j.Value));
                    if (residency is null)
                    {
                        residency = these;
                    }
                    else
                    {
                        // Invariant: rows leave only where every permitting grant lets them; an empty set means none leave.
                        residency.IntersectWith(these);
                    }
                }
            }

            tokenLifetime = Min(tokenLifetime, grant.TokenLifetime);
            rateLimit = grant.RateLimit is null || (rateLimit is not null && RatePerTick(rateLimit) <= RatePerTick(grant.RateLimit)) ? rateLimit : grant.RateLimit;
            minGroupSize = minGroupSize is null ? grant.MinGroupSize : grant.MinGroupSize is null ? minGroupSize : Math.Max(minGroupSize.Value, grant.MinGroupSize.Value);
            budget = Stricter(budget, grant.PrivacyBudget);
        }

        return new Obligations(
            [.. fields.Values],
            requireConsent,
            residency is null ? null : [.. JurisdictionGroups.Reduce(residency).Select(j => new Jurisdiction(j))],
            tokenLifetime,
            rateLimit,
            minGroupSize,
            budget);
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    private static double RatePerTick(RateLimit limit) => limit.Requests / (double)Math.Max(1, limit.Period.Ticks);

    private static PrivacyBudget? Stricter(PrivacyBudget? a, PrivacyBudget? b) =>
        a is null ? b : b is null ? a : new PrivacyBudget(Math.Min(a.Epsilon, b.Epsilon), Math.Min(a.Delta, b.Delta), a.Period > b.Period ? a.Period : b.Period)
        {
            LifetimeEpsilon = a.LifetimeEpsilon is { } x ? (b.LifetimeEpsilon is { } y ? Math.Min(x, y) : x) : b.LifetimeEpsilon,
        };

    // Invariant: drop > pseudonymise > generalise > mask > allow; the stronger kind wins whatever its parameter.
    private static int Rank(FieldRuleKind kind) => kind switch
    {
        FieldRuleKind.Allow => 0,
        FieldRuleKind.Mask => 1,
        FieldRuleKind.Generalise => 2,
        FieldRuleKind.Pseudonymise => 3,
        _ => 4,
    };

    private static FieldRule Stricter(FieldRule a, FieldRule b)
    {
        var rankA = Rank(a.Kind);
        var rankB = Rank(b.Kind);
        if (rankA != rankB)
        {
            return rankA > rankB ? a : b;
        }

        if (a.Parameter == b.Parameter)
        {
            return a;
        }

        return a.Kind switch
        {
            FieldRuleKind.Mask => MaskKept(a) <= MaskKept(b) ? a : b,
            FieldRuleKind.Generalise => StricterGeneralisation(a, b),
            _ => string.CompareOrdinal(a.Parameter, b.Parameter) <= 0 ? a : b,
        };
    }

    private static int MaskKept(FieldRule rule) =>
        int.TryParse(rule.Parameter, NumberStyles.None, CultureInfo.InvariantCulture, out var kept) ? kept : 0;

    private static FieldRule StricterGeneralisation(FieldRule a, FieldRule b)
    {
        if (Generalisation.TryParse(a.Parameter, out var first) && Generalisation.TryParse(b.Parameter, out var second))
        {
            // Coarser is stricter: a year over a month, a wider range, a shorter postcode prefix.
            switch (first.Kind, second.Kind)
            {
                case (GeneralisationKind.Month or GeneralisationKind.Year, GeneralisationKind.Month or GeneralisationKind.Year):
                    return first.Kind == GeneralisationKind.Year ? a : b;
                case (GeneralisationKind.Range, GeneralisationKind.Range):
                    return first.Amount >= second.Amount ? a : b;
                case (GeneralisationKind.Prefix, GeneralisationKind.Prefix):
                    return first.Amount <= second.Amount ? a : b;
            }
        }

        // Security: two generalisations that cannot be ordered fail closed: the field is dropped.
        return new FieldRule(a.Field, FieldRuleKind.Drop, null);
    }
}
