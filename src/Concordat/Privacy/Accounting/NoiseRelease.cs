using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// One noisy measure a query releases: its mechanism, parameter and per-group sensitivity, the number of groups one
/// entity may contribute to, and its cost.
/// </summary>
/// <param name="Mechanism">The noise.</param>
/// <param name="Parameter">σ² for the discrete Gaussian, the scale for the discrete Laplace.</param>
/// <param name="Sensitivity">Δ: the most one entity can change the value of one group.</param>
/// <param name="Contributions">k: how many groups one entity may change (contribution bounding); MUST be at least 1.</param>
/// <remarks>
/// With k groups of sensitivity Δ each, the squared L2 sensitivity of the whole release is kΔ² and its L1 sensitivity
/// kΔ, so both costs stay exact rationals (no square root of k is ever taken).
/// </remarks>
// CAUTION: persisted/public format; see docs/design/privacy.md
public sealed record NoiseRelease(NoiseMechanism Mechanism, Rational Parameter, Rational Sensitivity, int Contributions = 1)
{
    /// <summary>Gets the release's cost in zCDP: kΔ²/(2σ²) for the discrete Gaussian, (kΔ/scale)²/2 for the discrete Laplace.</summary>
    public Rational Rho => Mechanism == NoiseMechanism.DiscreteGaussian
        ? Rational.FromInteger(Contributions) * Zcdp.DiscreteGaussianRho(Sensitivity, Parameter)
        : Zcdp.DiscreteLaplaceRho(Rational.FromInteger(Contributions) * Sensitivity, Parameter);

    /// <summary>Gets the δ the release spends besides its ρ: partition selection's (its groups come from the data), else 0.</summary>
    /// <remarks>
    /// A release with δ &gt; 0 is δ-approximately ρ-zCDP (Bun and Steinke 2016, arXiv:1605.02065, §8): it is ρ-zCDP
    /// except on an event of probability at most δ (a group only one entity makes is shown). It is never pure DP.
    /// </remarks>
    public Rational Delta { get; init; } = Rational.Zero;

    /// <summary>Gets the release's pure ε, kΔ/scale (discrete Laplace without δ only), or <see langword="null"/> when it is not pure DP.</summary>
    public Rational? Epsilon => Mechanism == NoiseMechanism.DiscreteLaplace && Delta.IsZero ? Rational.FromInteger(Contributions) * Sensitivity / Parameter : null;
}
