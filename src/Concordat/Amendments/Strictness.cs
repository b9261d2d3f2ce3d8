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

    /// <summary>Whether <paramref name="after"/> spends privacy no faster than <paramref name="before"/>.</summary>
    public static bool AtMost(PrivacyBudget? before, PrivacyBudget? after) =>
        before is null || (after is not null && after.Epsilon <= before.Epsilon && after.Delta <= before.Delta && after.Period >= before.Period);

    /// <summary>Whether rows resident in <paramref name="after"/> (none: any residency) are all resident in <paramref name="before"/>.</summary>
    public static bool Within(IReadOnlyList<Jurisdiction>? before, IReadOnlyList<Jurisdiction>? after) =>
        before is null || (after is not null && Jurisdiction.ExpandGroups(after).All(Jurisdiction.ExpandGroups(before).Contains));

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
