using Concordat.Agreements;
using Concordat.Amendments;
using Concordat.Decisions;
using Concordat.Testing.Agreements;
using Concordat.Testing.Decisions;

namespace Concordat.Tests.Amendments;

/// <summary>
/// The diff's verdict against the engine on requests it did not choose: whenever the diff says the new version grants
/// nothing more, no generated request is permitted by the new version and denied by the old (or permitted with weaker
/// obligations); whenever it says more, its witness really is decided that way.
/// </summary>
public sealed class AgreementDiffPropertyTests
{
    private const int Cases = 60;
    private const int RequestsPerCase = 400;

    // Jurisdictions beyond the generator's pool: unnamed EU and EEA members, and codes in no group.
    private static readonly string[] s_otherJurisdictions = ["IT", "PL", "IS", "LI", "CH", "JP", "BR"];

    [Fact]
    public void TryCompare_GeneratedAmendments_VerdictHoldsOnRandomRequests()
    {
        var random = new Random(20261204);
        var grantsMore = 0;
        var grantsNothingMore = 0;
        for (var round = 0; round < Cases; round++)
        {
            var policies = new RandomPolicies(random);
            var before = policies.Agreement("agreement");
            var after = Amend(before, policies, random) with { Version = before.Version + 1 };
            var diff = AgreementDifferTests.Compare(before, after);
            var old = Compile(before);
            var @new = Compile(after);
            if (diff.GrantsMore)
            {
                grantsMore++;
                Assert.True(diff.Changes.Any(c => c.Class == ChangeClass.Widening), $"round {round}: the verdict says more is granted, but no change is classed widening: {string.Join("; ", diff.Changes)}");
                var witness = diff.Widening!;
                Assert.True(@new.Decide(witness.Request).IsPermit, $"round {round}: the witness {witness.Request} is not permitted by the new version");
                Assert.Equal(witness.ObligationsOnly, old.Decide(witness.Request).IsPermit);
                continue;
            }

            grantsNothingMore++;
            for (var i = 0; i < RequestsPerCase; i++)
            {
                var request = policies.Request();
                if (random.Next(4) == 0)
                {
                    request = request with { Jurisdiction = new Jurisdiction(s_otherJurisdictions[random.Next(s_otherJurisdictions.Length)]) };
                }

                var was = old.Decide(request);
                var now = @new.Decide(request);
                Assert.False(now.IsPermit && !was.IsPermit, $"round {round}: the diff says nothing more is granted, but {request} is permitted now and was denied");
                Assert.False(now.IsPermit && was.IsPermit && !Strictness.AtLeastAsStrict(before, was, after, now, request.Action), $"round {round}: the diff says nothing more is granted, but {request} is permitted with weaker obligations or a wider aggregate scope");
            }
        }

        // Both verdicts must be exercised, or the property says little.
        Assert.True(grantsMore > 5 && grantsNothingMore > 5, $"{grantsMore} amendments granted more, {grantsNothingMore} did not");
    }

    /// <summary>
    /// An amendment of one of several kinds: an unrelated redraw, a grant removed or added, a prohibition added or
    /// removed, a field rule dropped, a grant's condition, aggregate scope or lifetime ε redrawn, a party's
    /// certifications changed.
    /// </summary>
    private static Agreement Amend(Agreement agreement, RandomPolicies policies, Random random)
    {
        switch (random.Next(10))
        {
            case 6 when agreement.Grants.Count > 0:
                var conditioned = random.Next(agreement.Grants.Count);
                return agreement with { Grants = [.. agreement.Grants.Select((g, i) => i == conditioned ? g with { When = random.Next(3) == 0 ? null : policies.RandomCondition() } : g)] };
            case 7 when agreement.Grants.Count > 0:
                return agreement with { Grants = [.. agreement.Grants.Select(g => random.Next(2) == 0 ? g with { Aggregates = RandomScope(random) } : g)] };
            case 8 when agreement.Grants.Any(g => g.PrivacyBudget is not null):
                return agreement with { Grants = [.. agreement.Grants.Select(g => g.PrivacyBudget is { } b ? g with { PrivacyBudget = b with { LifetimeEpsilon = random.Next(2) == 0 ? null : random.Next(1, 20) } } : g)] };
            case 9:
                var certified = random.Next(agreement.Parties.Count);
                return agreement with { Parties = [.. agreement.Parties.Select((p, i) => i == certified ? p with { Certifications = p.Certifications.Count > 0 ? [] : ["iso-27001", "soc2"] } : p)] };
            case 0:
                return policies.Agreement(agreement.Id.Value);
            case 1 when agreement.Grants.Count > 0:
                var removed = random.Next(agreement.Grants.Count);
                return agreement with { Grants = [.. agreement.Grants.Where((_, i) => i != removed)] };
            case 2:
                var parties = agreement.Parties.Select(p => p.Id.Value).ToArray();
                var datasets = agreement.Datasets.Select(d => d.Id.Value).ToArray();
                return agreement with { Prohibitions = [.. agreement.Prohibitions, policies.WithAttributes(policies.Prohibition("added", parties, datasets))] };
            case 3 when agreement.Prohibitions.Count > 0:
                var lifted = random.Next(agreement.Prohibitions.Count);
                return agreement with { Prohibitions = [.. agreement.Prohibitions.Where((_, i) => i != lifted)] };
            case 4 when agreement.Grants.Any(g => g.FieldRules.Count > 0):
                return agreement with { Grants = [.. agreement.Grants.Select(g => g with { FieldRules = [.. g.FieldRules.Skip(1)] })] };
            default:
                var recipient = agreement.Parties[random.Next(agreement.Parties.Count)].Id.Value;
                return agreement with { Grants = [.. agreement.Grants, policies.WithAttributes(policies.Grant("added", recipient, [agreement.Datasets[0].Id.Value]))] };
        }
    }

    /// <summary>A scope over the generator's fields, or none (the grant does not say).</summary>
    private static AggregateScope? RandomScope(Random random)
    {
        if (random.Next(4) == 0)
        {
            return null;
        }

        FieldName[] Some() => [.. ((string[])["name", "dob", "postcode"]).Where(_ => random.Next(2) == 0).Select(f => new FieldName(f))];
        return new AggregateScope(Some(), Some(), Some(), random.Next(2) == 0 ? random.Next(1, 20) : null, random.Next(2) == 0 ? random.Next(1, 20) : null)
        {
            JoinDimensions = Some(),
            CanSelectPartitions = random.Next(2) == 0,
        };
    }

    private static PolicyIndex Compile(Agreement agreement) => PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement))]);
}
