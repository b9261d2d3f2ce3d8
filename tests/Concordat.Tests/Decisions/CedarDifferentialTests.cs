using Concordat.Testing.Decisions;

namespace Concordat.Tests.Decisions;

/// <summary>The compiled index against Cedar itself on random attribute agreements (issue 12 §3); the rules it compares modulo are in <see cref="CedarDifferential"/>.</summary>
public sealed class CedarDifferentialTests
{
    private const int Seed = 20261203;

    [Fact]
    public void Decide_RandomAttributeAgreements_AgreesWithCedar()
    {
        var seed = Environment.GetEnvironmentVariable("CONCORDAT_CEDAR_SEED") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : Seed;

        var result = CedarDifferential.Run(seed, agreementCount: 50, requestsPerAgreement: 200, TimeSpan.FromMinutes(3));

        Assert.True(result.Differences.Count == 0, $"seed {seed}:\n{string.Join('\n', result.Differences)}");
        Assert.Equal(10_000, result.Compared);

        // Invariant: the generator keeps the comparison meaningful: clauses decide most requests, and both ways.
        Assert.InRange(result.Permits, 1_000, 9_000);
        Assert.InRange(result.Forbidden, 1_000, 9_000);
        Assert.InRange(result.DecidedBeforeClauses, 0, 5_000);
    }
}
