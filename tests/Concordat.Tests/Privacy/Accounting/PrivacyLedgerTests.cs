using Concordat.Agreements;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Accounting;

public sealed class PrivacyLedgerTests
{
    private static readonly DateTimeOffset s_anchor = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BudgetKey s_key = new(new PartyId("lab"), new AgreementId("acme-2026"), new ClauseId("g1"));

    [Fact]
    public void Charge_WouldOverspend_RefusedAndNothingSpent()
    {
        var ledger = new PrivacyLedger([]);
        var policy = new BudgetPolicy(1.0, 1e-6, TimeSpan.FromDays(1), s_anchor);
        var cheap = Spend(s_anchor.AddHours(1), sigmaSquared: Rational.FromInteger(400));
        var costly = Spend(s_anchor.AddHours(2), sigmaSquared: new Rational(1, 100));
        ledger.Charge(cheap, policy, isDryRun: false);
        var before = ledger.Status(s_key, policy, s_anchor.AddHours(2));

        var charge = ledger.Charge(costly, policy, isDryRun: false);

        Assert.False(charge.IsAllowed);
        Assert.False(charge.IsCharged);
        Assert.Contains("remains", charge.Refusal, StringComparison.Ordinal);
        Assert.Equal(before, ledger.Status(s_key, policy, s_anchor.AddHours(2)));
        Assert.Equal(before.Remaining, charge.After.Remaining);
    }

    [Fact]
    public void Charge_DryRun_PricesTheQueryWithoutSpending()
    {
        var ledger = new PrivacyLedger([]);
        var policy = new BudgetPolicy(1.0, 1e-6, TimeSpan.FromDays(1), s_anchor);
        var spend = Spend(s_anchor.AddHours(1), sigmaSquared: Rational.FromInteger(100));

        var charge = ledger.Charge(spend, policy, isDryRun: true);

        Assert.True(charge.IsAllowed);
        Assert.False(charge.IsCharged);
        Assert.Equal(new Rational(1, 200), charge.After.Spent);
        Assert.True(ledger.Status(s_key, policy, spend.At).Spent.IsZero);
    }

    [Fact]
    public void Record_SpendAnotherReplicaLogged_CountsItEvenBeyondTheBudgetAndRefusesTheNextCharge()
    {
        var ledger = new PrivacyLedger([]);
        var policy = new BudgetPolicy(1.0, 1e-6, TimeSpan.FromDays(1), s_anchor);
        var logged = Spend(s_anchor.AddHours(1), sigmaSquared: new Rational(1, 100));

        ledger.Record(logged);

        var status = ledger.Status(s_key, policy, s_anchor.AddHours(2));
        Assert.False(status.Spent <= status.Capacity);
        Assert.False(ledger.Charge(Spend(s_anchor.AddHours(2), sigmaSquared: Rational.FromInteger(400)), policy, isDryRun: false).IsAllowed);
        Assert.Equal(1, Assert.Single(ledger.Totals()).Queries);
    }

    [Fact]
    public void Charge_GaussianNoiseUnderZeroDelta_Refused()
    {
        var ledger = new PrivacyLedger([]);
        var policy = new BudgetPolicy(1.0, 0, TimeSpan.FromDays(1), s_anchor);

        var charge = ledger.Charge(Spend(s_anchor, sigmaSquared: Rational.FromInteger(100)), policy, isDryRun: false);

        Assert.False(charge.IsAllowed);
        Assert.Contains("pure-DP", charge.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Charge_LaplaceNoiseUnderZeroDelta_CountsPureEpsilon()
    {
        var ledger = new PrivacyLedger([]);
        var policy = new BudgetPolicy(1.0, 0, TimeSpan.FromDays(1), s_anchor);
        var spend = new PrivacySpend(s_key, s_anchor, "sha256:00", [new NoiseRelease(NoiseMechanism.DiscreteLaplace, Rational.FromInteger(4), Rational.FromInteger(1))]);

        var charges = Enumerable.Range(0, 5).Select(_ => ledger.Charge(spend, policy, isDryRun: false)).ToList();

        Assert.Equal([true, true, true, true, false], charges.Select(charge => charge.IsAllowed));
        Assert.Equal(Rational.Zero, charges[^1].Before.Remaining);
    }

    [Fact]
    public void Status_NextPeriod_RenewsUnlessTheLifetimeCapIsSpent()
    {
        var ledger = new PrivacyLedger([]);
        var renewing = new BudgetPolicy(1.0, 0, TimeSpan.FromDays(1), s_anchor);
        var capped = renewing with { LifetimeEpsilon = 1.0 };
        var spend = new PrivacySpend(s_key, s_anchor.AddHours(1), "sha256:00", [new NoiseRelease(NoiseMechanism.DiscreteLaplace, Rational.FromInteger(1), Rational.FromInteger(1))]);
        ledger.Charge(spend, renewing, isDryRun: false);

        var nextDay = s_anchor.AddDays(1).AddHours(1);

        Assert.Equal(Rational.FromInteger(1), ledger.Status(s_key, renewing, nextDay).Remaining);
        Assert.Equal(Rational.Zero, ledger.Status(s_key, capped, nextDay).Remaining);
    }

    [Fact]
    public void Recompute_FromTheLogAfterHundredsOfQueries_EqualsTheLedger()
    {
        var random = new Random(15);
        var keys = new[] { "lab", "clinic", "insurer" }
            .SelectMany(recipient => new[] { "g1", "g2" }.Select(grant => new BudgetKey(new PartyId(recipient), new AgreementId("acme-2026"), new ClauseId(grant))))
            .ToArray();
        var policy = new BudgetPolicy(2.0, 1e-6, TimeSpan.FromDays(1), s_anchor);
        var ledger = new PrivacyLedger([]);
        var log = new List<byte[]>();
        var refused = 0;
        for (var i = 0; i < 400; i++)
        {
            var key = keys[random.Next(keys.Length)];
            var at = s_anchor.AddMinutes(i * 17);
            var releases = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => random.Next(2) == 0
                    ? new NoiseRelease(NoiseMechanism.DiscreteGaussian, Rational.FromInteger(random.Next(20, 2000)), Rational.FromInteger(random.Next(1, 4)))
                    : new NoiseRelease(NoiseMechanism.DiscreteLaplace, new Rational(random.Next(10, 400), random.Next(1, 7)), Rational.FromInteger(1)))
                .ToList();
            var spend = new PrivacySpend(key, at, $"sha256:{i:x64}", releases);
            var charge = ledger.Charge(spend, policy, isDryRun: false);
            if (charge.IsCharged)
            {
                log.Add(PrivacySpendEntry.ToLogEntry(spend, charge.After).CanonicalBytes.ToArray());
            }
            else
            {
                refused++;
            }
        }

        var recomputed = new PrivacyLedger(log.Select(Read));

        Assert.InRange(refused, 1, 399);
        Assert.Equal(ledger.Totals(), recomputed.Totals());
        var end = s_anchor.AddMinutes(400 * 17);
        Assert.All(keys, key => Assert.Equal(ledger.Status(key, policy, end), recomputed.Status(key, policy, end)));
    }

    private static PrivacySpend Read(byte[] bytes)
    {
        Assert.True(LogEntry.TryParse(bytes, out var entry, out var error), error);
        Assert.True(PrivacySpendEntry.TryRead(entry, out var spend));
        return spend;
    }

    private static PrivacySpend Spend(DateTimeOffset at, Rational sigmaSquared)
        => new(s_key, at, "sha256:00", [new NoiseRelease(NoiseMechanism.DiscreteGaussian, sigmaSquared, Rational.FromInteger(1))]);
}
