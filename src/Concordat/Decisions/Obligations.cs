using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// What the gateway MUST do when it carries out a permit: the field and row rules, caps and budgets of the
/// permitting grants, merged so that the most restrictive applies (see docs/design/decisions.md).
/// </summary>
/// <param name="FieldRules">One rule per field, ordered by field name; fields without a rule leave unchanged.</param>
/// <param name="RequireConsent">Each row's consent basis MUST cover the purpose.</param>
/// <param name="Residency">Only rows resident in these jurisdictions leave; <see langword="null"/> means no residency rule, empty means no row may leave.</param>
/// <param name="TokenLifetime">The cap on a token's lifetime, when any.</param>
/// <param name="RateLimit">The rate limit, when any.</param>
/// <param name="MinGroupSize">The minimum group size for aggregates, when any.</param>
/// <param name="PrivacyBudget">The differential-privacy budget that each aggregate's cost is charged against, when any.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public sealed record Obligations(IReadOnlyList<FieldRule> FieldRules, bool RequireConsent, IReadOnlyList<Jurisdiction>? Residency, TimeSpan? TokenLifetime, RateLimit? RateLimit, int? MinGroupSize, PrivacyBudget? PrivacyBudget)
{
    /// <summary>Gets the obligations of a deny: none.</summary>
    public static Obligations None { get; } = new([], false, null, null, null, null, null);

    /// <summary>Compares the obligations by value, list contents included.</summary>
    /// <param name="other">The other obligations.</param>
    /// <returns><see langword="true"/> when both say the same.</returns>
    public bool Equals(Obligations? other) =>
        other is not null
        && FieldRules.SequenceEqual(other.FieldRules)
        && RequireConsent == other.RequireConsent
        && (Residency is null ? other.Residency is null : other.Residency is not null && Residency.SequenceEqual(other.Residency))
        && TokenLifetime == other.TokenLifetime
        && Equals(RateLimit, other.RateLimit)
        && MinGroupSize == other.MinGroupSize
        && Equals(PrivacyBudget, other.PrivacyBudget);

    /// <summary>Hashes the obligations by value.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(FieldRules.Count, RequireConsent, Residency?.Count, TokenLifetime, RateLimit, MinGroupSize, PrivacyBudget);
}
