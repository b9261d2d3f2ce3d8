using System.Text.Json;
using Concordat.Agreements;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Accounting;

public sealed class PrivacySpendEntryTests
{
    private static readonly PrivacySpend s_spend = new(
        new BudgetKey(new PartyId("lab"), new AgreementId("acme-2026"), new ClauseId("g1")),
        new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero),
        "sha256:" + new string('a', 64),
        [
            new NoiseRelease(NoiseMechanism.DiscreteGaussian, Rational.FromInteger(16), Rational.FromInteger(1)),
            new NoiseRelease(NoiseMechanism.DiscreteLaplace, new Rational(7, 2), Rational.FromInteger(2)),
        ]);

    [Fact]
    public void ToLogEntry_ThenTryRead_GivesTheSameSpend()
    {
        var status = new BudgetStatus(new Rational(1, 32), Rational.FromInteger(1), new Rational(1, 32), null);

        var entry = PrivacySpendEntry.ToLogEntry(s_spend, status);

        Assert.True(PrivacySpendEntry.TryRead(entry, out var read));
        Assert.Equal(s_spend.Key, read.Key);
        Assert.Equal(s_spend.At, read.At);
        Assert.Equal(s_spend.Releases, read.Releases);
        Assert.Equal(s_spend.Rho, read.Rho);
    }

    [Fact]
    public void ToLogEntry_Body_NamesMechanismParametersAndRhoAsExactText()
    {
        var status = new BudgetStatus(Rational.Zero, Rational.FromInteger(1), Rational.Zero, null);

        var body = PrivacySpendEntry.ToLogEntry(s_spend, status).Body;

        var first = body.GetProperty("releases")[0];
        Assert.Equal("discrete-gaussian", first.GetProperty("mechanism").GetString());
        Assert.Equal("1/32", first.GetProperty("rho").GetString());
        Assert.Equal(s_spend.Rho.ToString(), body.GetProperty("rho").GetString());
        Assert.Equal(
            ["agreement", "budgetAfter", "grant", "queryDigest", "recipient", "releases", "rho"],
            body.EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"recipient":"lab","agreement":"a","grant":"g","queryDigest":"d","releases":[{"mechanism":"uniform","parameter":"1","sensitivity":"1"}]}""")]
    [InlineData("""{"recipient":"lab","agreement":"a","grant":"g","queryDigest":"d","releases":[{"mechanism":"discrete-gaussian","parameter":"0","sensitivity":"1"}]}""")]
    [InlineData("""{"recipient":"lab","agreement":"a","grant":"g","queryDigest":"d","releases":[{"mechanism":"discrete-gaussian","parameter":"-1","sensitivity":"1"}]}""")]
    [InlineData("""{"agreement":"a","grant":"g","queryDigest":"d","releases":[]}""")]
    public void TryRead_MalformedBody_ReturnsFalse(string json)
    {
        var entry = LogEntry.Create(PrivacySpendEntry.EntryType, DateTimeOffset.UnixEpoch, JsonDocument.Parse(json).RootElement);

        Assert.False(PrivacySpendEntry.TryRead(entry, out _));
    }

    [Fact]
    public void TryRead_OtherEntryType_ReturnsFalse()
    {
        var entry = LogEntry.Create("gateway.egress/v1", DateTimeOffset.UnixEpoch, JsonDocument.Parse("{}").RootElement);

        Assert.False(PrivacySpendEntry.TryRead(entry, out _));
    }
}
