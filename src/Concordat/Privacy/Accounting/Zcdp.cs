using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// Privacy loss in zero-concentrated differential privacy (ρ-zCDP, Bun and Steinke 2016): what one noisy release
/// costs, exactly, as a rational ρ. Costs of several releases add up (composition).
/// </summary>
public static class Zcdp
{
    /// <summary>
    /// The ρ of adding discrete Gaussian noise of variance parameter σ² to a value of sensitivity Δ:
    /// <c>ρ = Δ² / (2σ²)</c>.
    /// </summary>
    /// <param name="sensitivity">Δ, the most one entity can change the value (L2).</param>
    /// <param name="sigmaSquared">σ²; MUST be positive.</param>
    /// <returns>ρ.</returns>
    /// <remarks>Spec: Canonne, Kamath and Steinke (2020), arXiv:2004.00010, §2: the discrete Gaussian gives the same
    /// ρ as the continuous one.</remarks>
    public static Rational DiscreteGaussianRho(Rational sensitivity, Rational sigmaSquared)
        => sensitivity * sensitivity / (Rational.FromInteger(2) * sigmaSquared);

    /// <summary>
    /// The ρ of adding discrete Laplace noise of the given scale to a value of sensitivity Δ: the release is ε-DP with
    /// <c>ε = Δ / scale</c>, hence <c>ρ = ε² / 2</c>.
    /// </summary>
    /// <param name="sensitivity">Δ, the most one entity can change the value (L1).</param>
    /// <param name="scale">The scale; MUST be positive.</param>
    /// <returns>ρ.</returns>
    /// <remarks>Spec: Bun and Steinke (2016), arXiv:1605.02065, Proposition 1.4 (ε-DP implies ε²/2-zCDP).</remarks>
    public static Rational DiscreteLaplaceRho(Rational sensitivity, Rational scale)
    {
        var epsilon = sensitivity / scale;
        return epsilon * epsilon / Rational.FromInteger(2);
    }

    /// <summary>The σ² at which discrete Gaussian noise on a value of sensitivity Δ costs exactly ρ: <c>Δ² / (2ρ)</c>.</summary>
    /// <param name="sensitivity">Δ.</param>
    /// <param name="rho">ρ; MUST be positive.</param>
    /// <returns>σ².</returns>
    public static Rational DiscreteGaussianSigmaSquared(Rational sensitivity, Rational rho)
        => sensitivity * sensitivity / (Rational.FromInteger(2) * rho);
}
