using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// Orders what two versions ask of a recipient: whether a rule, a cap or a set of obligations of the new version asks
/// at least as much as the old one's.
/// </summary>
/// <remarks>
/// The order is partial, and the diff reads "not at least as strict" as weaker, so that a change it cannot order
/// (masking instead of pseudonymising) is shown to the signers as a widening rather than passing unnoticed.
/// </remarks>
internal static class Strictness
{
    // A grant without `aggregates` lets a query group by and measure any field it lets through, and join on nothing.
    private static readonly AggregateScope s_anyScope = new([], [], [], null, null);

    /// <summary>Whether <paramref name="after"/> asks at least as much as <paramref name="before"/> of the field.</summary>
    public static bool AtLeastAsStrict(FieldRule? before, FieldRule? after)
    {
        var old = before?.Kind ?? FieldRuleKind.Allow;
        var @new = after?.Kind ?? FieldRuleKind.Allow;
        return old == FieldRuleKind.Allow || @new == FieldRuleKind.Drop || (old == @new && before?.Parameter == after?.Parameter);
    }

    /// <summary>Whether a cap of <paramref name="after"/> (none: no cap) is at most <paramref name="before"/>'s.</summary>
    public static bool AtMost<T>(T? before, T? after)
        where T : struct, IComparable<T> =>
        before is not { } old || (after is { } @new && @new.CompareTo(old) <= 0);

    /// <summary>Whether a minimum of <paramref name="after"/> (none: no minimum) is at least <paramref name="before"/>'s.</summary>
    public static bool AtLeast(int? before, int? after) => before is not { } old || (after is { } @new && @new >= old);

    /// <summary>Whether <paramref name="after"/> lets at most as many requests through as <paramref name="before"/>, in any window.</summary>
    public static bool AtMost(RateLimit? before, RateLimit? after) =>
        before is null || (after is not null && after.Requests <= before.Requests && after.Period >= before.Period);

    /// <summary>Whether <paramref name="after"/> spends privacy no faster than <paramref name="before"/>, and no more over all periods.</summary>
    public static bool AtMost(PrivacyBudget? before, PrivacyBudget? after) =>
        before is null || (after is not null && after.Epsilon <= before.Epsilon && after.Delta <= before.Delta && after.Period >= before.Period && AtMost(before.LifetimeEpsilon, after.LifetimeEpsilon));

    /// <summary>Whether <paramref name="after"/> lets aggregate queries use no more than <paramref name="before"/> (none: the grant does not say, which allows the most).</summary>
    /// <remarks>
    /// Dimensions and measures: empty means any field the grant lets through, so only a list within the old one (or
    /// an old empty one) is as strict. Join keys and join dimensions: empty means none. A contribution cap that is
    /// none lets the gateway's own cap apply, which the library does not know: it is read as no cap, so removing a cap
    /// is shown as widening.
    /// </remarks>
    public static bool AtLeastAsStrict(AggregateScope? before, AggregateScope? after)
    {
        var old = before ?? s_anyScope;
        var @new = after ?? s_anyScope;
        return WithinOrAny(old.Dimensions, @new.Dimensions)
            && WithinOrAny(old.Measures, @new.Measures)
            && @new.JoinKeys.All(old.JoinKeys.Contains)
            && @new.JoinDimensions.All(old.JoinDimensions.Contains)
            && AtMost(old.MaxGroupsPerEntity, @new.MaxGroupsPerEntity)
            && AtMost(old.MaxRowsPerGroup, @new.MaxRowsPerGroup)
            && (old.CanSelectPartitions || !@new.CanSelectPartitions);
    }

    /// <summary>
    /// Whether the permit <paramref name="now"/> of the new version asks at least as much as the permit
    /// <paramref name="was"/> of the old one: its obligations, and for an aggregate query the scope of the grant the
    /// gateway takes it from (the first permitting grant, which is also the one charged).
    /// </summary>
    public static bool AtLeastAsStrict(Agreement before, Decision was, Agreement after, Decision now, DataAction action) =>
        AtLeastAsStrict(was.Obligations, now.Obligations)
        && (action != DataAction.AggregateQuery || AtLeastAsStrict(ScopeOf(before, was), ScopeOf(after, now)));

    /// <summary>Whether rows resident in <paramref name="after"/> (none: any residency) are all resident in <paramref name="before"/>.</summary>
    public static bool Within(IReadOnlyList<Jurisdiction>? before, IReadOnlyList<Jurisdiction>? after) =>
        before is null || (after is not null && Jurisdiction.ExpandGroups(after).All(Jurisdiction.ExpandGroups(before).Contains));

    /// <summary>The aggregate scope of the grant that permits with <paramref name="decision"/>: the first permitting one, as the gateway reads it.</summary>
    private static AggregateScope? ScopeOf(Agreement agreement, Decision decision) =>
        decision.Reasons.FirstOrDefault(r => r.Code == ReasonCode.PermittedByGrant)?.Clause is { } clause
            ? agreement.Grants.FirstOrDefault(g => g.Id == clause)?.Aggregates
            : null;

    private static bool WithinOrAny(IReadOnlyList<FieldName> before, IReadOnlyList<FieldName> after) =>
        before.Count == 0 || (after.Count > 0 && after.All(before.Contains));

    /// <summary>Whether the obligations <paramref name="after"/> ask at least as much as <paramref name="before"/> on every point.</summary>
    public static bool AtLeastAsStrict(Obligations before, Obligations after) =>
        before.FieldRules.Select(r => r.Field).Concat(after.FieldRules.Select(r => r.Field)).Distinct()
            .All(field => AtLeastAsStrict(before.FieldRules.FirstOrDefault(r => r.Field == field), after.FieldRules.FirstOrDefault(r => r.Field == field)))
        && (!before.RequireConsent || after.RequireConsent)
        && Within(before.Residency, after.Residency)
        && AtMost(before.TokenLifetime, after.TokenLifetime)
        && AtMost(before.RateLimit, after.RateLimit)
        && AtLeast(before.MinGroupSize, after.MinGroupSize)
        && AtMost(before.PrivacyBudget, after.PrivacyBudget);
}
