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
            var added = generated.Policies.Prohibition("p-added", [.. agreement.Parties.Select(p => p.Id.Value)], [.. agreement.Datasets.Select(d => d.Id.Value)]);
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
