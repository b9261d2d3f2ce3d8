using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Accounting;

public sealed class ZcdpTests
{
    [Fact]
    public void DiscreteGaussianRho_ScaleFourSensitivityOne_IsOneThirtySecond()
    {
        // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs: a Gaussian of scale 4 on a
        // sensitivity-1 value costs ρ = (d_in / scale)² / 2 = 1/32.
        var rho = Zcdp.DiscreteGaussianRho(Rational.FromInteger(1), Rational.FromInteger(16));

        Assert.Equal(new Rational(1, 32), rho);
    }

    [Fact]
    public void DiscreteLaplaceRho_ScaleThree_IsEpsilonSquaredOverTwo()
    {
        // Source: opendp/opendp docs/source/getting-started/code/typical-workflow-context.rst: ε = 1 split over three
        // sensitivity-1 counts gives a (discrete) Laplace scale of 3, i.e. ε = 1/3 per count; Bun and Steinke (2016),
        // Proposition 1.4, then gives ρ = ε²/2 = 1/18.
        var rho = Zcdp.DiscreteLaplaceRho(Rational.FromInteger(1), Rational.FromInteger(3));

        Assert.Equal(new Rational(1, 18), rho);
    }

    [Fact]
    public void DiscreteGaussianSigmaSquared_InvertsRho()
    {
        var sensitivity = new Rational(3, 1);
        var rho = new Rational(1, 10);

        var sigmaSquared = Zcdp.DiscreteGaussianSigmaSquared(sensitivity, rho);

        Assert.Equal(rho, Zcdp.DiscreteGaussianRho(sensitivity, sigmaSquared));
    }
}
