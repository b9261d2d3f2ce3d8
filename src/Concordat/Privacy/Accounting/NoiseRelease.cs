using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>One noisy value a query releases per group: its mechanism, parameter and sensitivity, and its cost.</summary>
/// <param name="Mechanism">The noise.</param>
/// <param name="Parameter">σ² for the discrete Gaussian, the scale for the discrete Laplace.</param>
/// <param name="Sensitivity">Δ: the most one entity can change the value, over every group it may contribute to.</param>
internal sealed record NoiseRelease(NoiseMechanism Mechanism, Rational Parameter, Rational Sensitivity)
{
    /// <summary>Gets the release's cost in zCDP.</summary>
    public Rational Rho => Mechanism == NoiseMechanism.DiscreteGaussian
        ? Zcdp.DiscreteGaussianRho(Sensitivity, Parameter)
        : Zcdp.DiscreteLaplaceRho(Sensitivity, Parameter);

    /// <summary>Gets the release's pure ε (discrete Laplace only), or <see langword="null"/> when it is not pure DP.</summary>
    public Rational? Epsilon => Mechanism == NoiseMechanism.DiscreteLaplace ? Sensitivity / Parameter : null;
}
