using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Decisions;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexPropertyTests
{
    private const int RequestsPerCase = 50;

    private static readonly Arbitrary<int> s_seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [Fact]
    public void Decide_GeneratedAgreements_AgreesWithReferenceEvaluator()
    {
        ForAllGenerated(generated =>
        {
            var index = PolicyIndex.Compile(generated.Agreements);
            var reference = new ReferenceEvaluator(generated.Agreements);
            for (var i = 0; i < RequestsPerCase; i++)
            {
                var request = generated.Policies.Request();
                var difference = reference.Decide(request)!.Difference(index.Decide(request));
                Assert.True(difference is null, $"seed {generated.Seed}, request {request}: {difference}");
            }

            return true;
        });
    }

    [Fact]
    public void Decide_AddingProhibition_NeverTurnsDenyIntoPermit()
    {
        ForAllGenerated(generated => NeverTurnsDenyIntoPermit(generated, agreement =>
        {
            var added = generated.Policies.WithAttributes(generated.Policies.Prohibition("p-added", [.. agreement.Parties.Select(p => p.Id.Value)], [.. agreement.Datasets.Select(d => d.Id.Value)]));
            return agreement with { Prohibitions = [.. agreement.Prohibitions, added] };
        }));
    }

    [Fact]
    public void Decide_RemovingGrant_NeverTurnsDenyIntoPermit()
    {
        ForAllGenerated(generated => NeverTurnsDenyIntoPermit(generated, agreement =>
        {
            if (agreement.Grants.Count == 0)
            {
                return null;
            }

            var removed = generated.Random.Next(agreement.Grants.Count);
            return agreement with { Grants = [.. agreement.Grants.Where((_, g) => g != removed)] };
        }));
    }

    [Fact]
    public void Decide_WideningAGrantCondition_NeverTurnsPermitIntoDeny()
    {
        ForAllGenerated(generated => NeverTurnsPermitIntoDeny(generated, agreement =>
        {
            if (agreement.Grants.Count == 0)
            {
                return null;
            }

            var widened = generated.Random.Next(agreement.Grants.Count);
            var wider = generated.Random.Next(3) == 0 ? null : Widen(agreement.Grants[widened].When, generated.Policies.RandomCondition());
            return agreement with { Grants = [.. agreement.Grants.Select((g, i) => i == widened ? g with { When = wider } : g)] };
        }));
    }

    [Fact]
    public void Decide_WideningAnUnlessOrNarrowingAWhen_NeverTurnsPermitIntoDeny()
    {
        ForAllGenerated(generated => NeverTurnsPermitIntoDeny(generated, agreement =>
        {
            if (agreement.Prohibitions.Count == 0)
            {
                return null;
            }

            var changed = generated.Random.Next(agreement.Prohibitions.Count);
            var extra = generated.Policies.RandomCondition();
            return agreement with
            {
                Prohibitions = [.. agreement.Prohibitions.Select((p, i) => i != changed ? p
                    : generated.Random.Next(2) == 0 ? p with { Unless = Widen(p.Unless, extra) }
                    : p with { When = p.When is { } when ? Join(when, "and", extra) : extra }),
                ],
            };
        }));
    }

    [Fact]
    public void Decide_GeneratedAgreementsWithAttributes_AgreesWithReferenceEvaluatorOnManyRequests()
    {
        var random = new Random(20261203);
        for (var round = 0; round < 200; round++)
        {
            var policies = new RandomPolicies(random);
            var agreements = policies.Agreements();
            var index = PolicyIndex.Compile(agreements);
            var reference = new ReferenceEvaluator(agreements);
            for (var i = 0; i < 100; i++)
            {
                var request = policies.Request();
                var difference = reference.Decide(request)!.Difference(index.Decide(request));
                Assert.True(difference is null, $"round {round}, request {request}: {difference}");
            }
        }
    }

    // `C or X` permits wherever C does; no condition at all permits wherever any does.
    private static Condition? Widen(Condition? condition, Condition extra) => condition is null ? null : Join(condition, "or", extra);

    private static Condition Join(Condition left, string junction, Condition right) =>
        Condition.TryParse($"({left.Text}) {junction} ({right.Text})", out var joined, out var error) ? joined : throw new InvalidOperationException(error);

    /// <summary>
    /// Makes one random agreement more permissive with <paramref name="widen"/> (null: nothing to widen) and checks
    /// that no request permitted before is denied after.
    /// </summary>
    private static bool NeverTurnsPermitIntoDeny(Generated generated, Func<Agreement, Agreement?> widen)
    {
        var before = generated.Agreements;
        var target = generated.Random.Next(before.Count);
        if (widen(before[target].Agreement) is not { } wider)
        {
            return true;
        }

        var original = PolicyIndex.Compile(before);
        var changed = PolicyIndex.Compile([.. before.Select((a, i) => i == target ? a with { Agreement = wider } : a)]);
        for (var i = 0; i < RequestsPerCase; i++)
        {
            var request = generated.Policies.Request();
            if (original.Decide(request).IsPermit && !changed.Decide(request).IsPermit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks a property on random agreements drawn from one seed per case, so a failure names its seed.</summary>
    private static void ForAllGenerated(Func<Generated, bool> property) =>
        Prop.ForAll(s_seeds, seed =>
        {
            var random = new Random(seed);
            var policies = new RandomPolicies(random);
            return property(new Generated(seed, random, policies, policies.Agreements()));
        }).QuickCheckThrowOnFailure();

    /// <summary>
    /// Makes one random agreement stricter with <paramref name="tighten"/> (null: nothing to tighten) and checks that
    /// no request denied before is permitted after.
    /// </summary>
    private static bool NeverTurnsDenyIntoPermit(Generated generated, Func<Agreement, Agreement?> tighten)
    {
        var before = generated.Agreements;
        var target = generated.Random.Next(before.Count);
        if (tighten(before[target].Agreement) is not { } stricter)
        {
            return true;
        }

        var original = PolicyIndex.Compile(before);
        var changed = PolicyIndex.Compile([.. before.Select((a, i) => i == target ? a with { Agreement = stricter } : a)]);
        for (var i = 0; i < RequestsPerCase; i++)
        {
            var request = generated.Policies.Request();
            if (!original.Decide(request).IsPermit && changed.Decide(request).IsPermit)
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Generated(int Seed, Random Random, RandomPolicies Policies, List<PolicyAgreement> Agreements);
}
