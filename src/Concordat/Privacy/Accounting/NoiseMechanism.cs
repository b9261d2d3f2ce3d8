namespace Concordat.Privacy.Accounting;

/// <summary>The noise a release adds.</summary>
public enum NoiseMechanism
{
    /// <summary>Discrete Gaussian noise; its parameter is σ². Costs ρ = Δ²/(2σ²); needs δ &gt; 0.</summary>
    DiscreteGaussian,

    /// <summary>Discrete Laplace noise; its parameter is the scale. Pure ε = Δ/scale, hence ρ = ε²/2.</summary>
    DiscreteLaplace,
}
