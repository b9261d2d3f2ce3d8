using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>What one query spent: the budget it is charged to, when, the query's digest and its noisy releases.</summary>
/// <param name="Key">The budget charged.</param>
/// <param name="At">When the query ran.</param>
/// <param name="QueryDigest">The digest of the query's canonical JSON (never its results).</param>
/// <param name="Releases">The noisy releases; together they cost <see cref="Rho"/>.</param>
public sealed record PrivacySpend(BudgetKey Key, DateTimeOffset At, string QueryDigest, IReadOnlyList<NoiseRelease> Releases)
{
    /// <summary>Gets the total cost in zCDP: the releases' ρ add up (composition).</summary>
    public Rational Rho => Releases.Aggregate(Rational.Zero, (sum, release) => sum + release.Rho);

    /// <summary>Gets the total δ the releases spend besides their ρ (partition selection); δs add up like the ρs (composition of approximate zCDP).</summary>
    public Rational Delta => Releases.Aggregate(Rational.Zero, (sum, release) => sum + release.Delta);

    /// <summary>Gets the total pure ε (basic composition), or <see langword="null"/> when a release is not pure DP.</summary>
    public Rational? Epsilon => Releases.All(release => release.Epsilon is not null)
        ? Releases.Aggregate(Rational.Zero, (sum, release) => sum + release.Epsilon!.Value)
        : null;
}
