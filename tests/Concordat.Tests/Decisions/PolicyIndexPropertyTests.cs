using Concordat.Decisions;
using Concordat.Testing.Decisions;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexPropertyTests
{
    private static readonly Arbitrary<int> s_seeds = Arb.From(Gen.Choose(0, int.MaxValue));

    [Fact]
    public void Decide_GeneratedAgreements_AgreesWithReferenceEvaluator()
    {
        Prop.ForAll(s_seeds, seed =>
        {
            var random = new Random(seed);
            var policies = new RandomPolicies(random);
            var agreements = policies.Agreements();
            var index = PolicyIndex.Compile(agreements);
            var reference = new ReferenceEvaluator(agreements);
            for (var i = 0; i < 50; i++)
            {
                var request = policies.Request();
                var difference = reference.Decide(request)!.Difference(index.Decide(request));
                if (difference is not null)
                {
                    throw new InvalidOperationException($"seed {seed}, request {request}: {difference}");
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decide_AddingProhibition_NeverTurnsDenyIntoPermit()
    {
        Prop.ForAll(s_seeds, seed =>
        {
            var random = new Random(seed);
            var policies = new RandomPolicies(random);
            var agreements = policies.Agreements();
            var target = random.Next(agreements.Count);
            var agreement = agreements[target].Agreement;
            var added = policies.Prohibition("p-added", [.. agreement.Parties.Select(p => p.Id.Value)], [.. agreement.Datasets.Select(d => d.Id.Value)]);
            var stricter = agreements.Select((a, i) => i == target ? a with { Agreement = agreement with { Prohibitions = [.. agreement.Prohibitions, added] } } : a).ToList();
            return NeverTurnsDenyIntoPermit(policies, agreements, stricter);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decide_RemovingGrant_NeverTurnsDenyIntoPermit()
    {
        Prop.ForAll(s_seeds, seed =>
        {
            var random = new Random(seed);
            var policies = new RandomPolicies(random);
            var agreements = policies.Agreements();
            var target = random.Next(agreements.Count);
            var agreement = agreements[target].Agreement;
            if (agreement.Grants.Count == 0)
            {
                return true;
            }

            var removed = random.Next(agreement.Grants.Count);
            var stricter = agreements.Select((a, i) => i == target ? a with { Agreement = agreement with { Grants = [.. agreement.Grants.Where((_, g) => g != removed)] } } : a).ToList();
            return NeverTurnsDenyIntoPermit(policies, agreements, stricter);
        }).QuickCheckThrowOnFailure();
    }

    private static bool NeverTurnsDenyIntoPermit(RandomPolicies policies, List<PolicyAgreement> before, List<PolicyAgreement> after)
    {
        var original = PolicyIndex.Compile(before);
        var changed = PolicyIndex.Compile(after);
        for (var i = 0; i < 50; i++)
        {
            var request = policies.Request();
            if (!original.Decide(request).IsPermit && changed.Decide(request).IsPermit)
            {
                return false;
            }
        }

        return true;
    }
}
