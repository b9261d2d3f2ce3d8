using Concordat.Privacy.Accounting;

namespace Concordat.Tests.Privacy.Accounting;

public sealed class ZcdpConversionTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Epsilon_OpenDpWorkedValue_Matches()
    {
        // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs,
        // test_zCDP_to_approxDP_nontrivial: ρ = (1/4)²/2, δ = 1e-3 gives ε = 0.6880024554878086.
        var epsilon = ZcdpConversion.Epsilon(1.0 / 32, 1e-3);

        Assert.Equal(0.6880024554878086, epsilon, Tolerance);
    }

    [Theory]
    // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs (ρ = 1/32, ε = 0).
    [InlineData(1.0 / 32, 0.0, 0.1508457845622862)]
    // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs (ρ = 1/32, the ε above).
    [InlineData(1.0 / 32, 0.6880024554878085, 1e-3)]
    // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/cdp_delta/test.rs, test_cdp_delta_rounding_regression.
    [InlineData(0.05, 0.25, 8.17727531036956e-2)]
    // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/cdp_delta/test.rs, test_edge_cases.
    [InlineData(0.5, 0.0, 0.5588356393474351)]
    public void Delta_OpenDpWorkedValues_Match(double rho, double epsilon, double expected)
    {
        var delta = ZcdpConversion.Delta(rho, epsilon);

        Assert.Equal(expected, delta, expected * 1e-8);
    }

    [Theory]
    [InlineData(0.01, 1e-6)]
    [InlineData(0.5, 1e-9)]
    [InlineData(2.0, 1e-5)]
    public void Epsilon_AnyRho_TighterThanBunSteinke(double rho, double delta)
    {
        var looser = rho + (2 * Math.Sqrt(rho * Math.Log(1 / delta)));

        var epsilon = ZcdpConversion.Epsilon(rho, delta);

        Assert.True(epsilon < looser, $"{epsilon} is not below {looser}");
    }

    [Theory]
    [InlineData(0.01, 1e-6)]
    [InlineData(0.125, 1e-5)]
    [InlineData(1.0, 1e-9)]
    public void Epsilon_ThenDelta_RoundTrips(double rho, double delta)
    {
        var epsilon = ZcdpConversion.Epsilon(rho, delta);

        Assert.Equal(delta, ZcdpConversion.Delta(rho, epsilon), delta * 1e-6);
    }

    [Theory]
    [InlineData(1.0, 1e-6)]
    [InlineData(0.6880024554878086, 1e-3)]
    [InlineData(10.0, 1e-9)]
    public void MaximumRho_Budget_IsTheLargestRhoWithinIt(double epsilon, double delta)
    {
        var rho = ZcdpConversion.MaximumRho(epsilon, delta);

        Assert.True(ZcdpConversion.Epsilon(rho, delta) <= epsilon);
        Assert.True(ZcdpConversion.Epsilon(rho * (1 + 1e-9), delta) > epsilon);
    }

    [Fact]
    public void MaximumRho_OpenDpWorkedValue_IsOneThirtySecond()
    {
        // Source: opendp/opendp rust/src/combinators/measure_cast/zCDP_to_approxDP/test.rs: ρ = 1/32 at δ = 1e-3 gives
        // ε = 0.6880024554878086, so that (ε, δ) budget allows ρ = 1/32.
        Assert.Equal(1.0 / 32, ZcdpConversion.MaximumRho(0.6880024554878086, 1e-3), 1e-9);
    }

    [Fact]
    public void Epsilon_DegenerateCases_AreExact()
    {
        Assert.Equal(0, ZcdpConversion.Epsilon(0, 1e-6));
        Assert.Equal(double.PositiveInfinity, ZcdpConversion.Epsilon(0.1, 0));
        Assert.Equal(0, ZcdpConversion.Delta(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZcdpConversion.Epsilon(-1, 0.1));
    }
}
