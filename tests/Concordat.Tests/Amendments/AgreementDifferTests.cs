using Concordat.Agreements;
using Concordat.Amendments;

namespace Concordat.Tests.Amendments;

public sealed class AgreementDifferTests
{
    private static readonly Agreement s_v1 = Read("agreements", "hospital-research.yaml");
    private static readonly Agreement s_v2 = Read("amendments", "hospital-research-v2.yaml");

    [Fact]
    public void TryCompare_SameVersion_NoChangesAndGrantsNothingMore()
    {
        var diff = Compare(s_v1, s_v1);

        Assert.Empty(diff.Changes);
        Assert.False(diff.GrantsMore);
        Assert.False(diff.Widens);
        Assert.Null(diff.Widening);
        Assert.Null(diff.Narrowing);
        Assert.True(diff.RequestsCompared > 1000, $"{diff.RequestsCompared} requests compared");
    }

    [Fact]
    public void TryCompare_SampleAmendment_ClassesEachChangeAndFindsTheWideningRequest()
    {
        var diff = Compare(s_v1, s_v2);

        Assert.Equal(
            [
                (ChangeClass.Widening, "research-rows", "jurisdictions"),
                (ChangeClass.Widening, "research-rows", "rate limit"),
                (ChangeClass.Narrowing, "cohort-statistics", "minimum group size"),
                (ChangeClass.Widening, "retention", "deletion attestation days"),
            ],
            diff.Changes.Select(c => (c.Class, c.Clause, c.Aspect)));
        Assert.True(diff.GrantsMore);
        var witness = diff.Widening!;
        Assert.False(witness.ObligationsOnly);
        Assert.Equal("GB", witness.Request.Jurisdiction.Value);
        Assert.False(witness.Before.IsPermit);
        Assert.True(witness.After.IsPermit);
        Assert.Contains(witness.After.Reasons, r => r.Clause?.Value == "research-rows");
    }

    [Fact]
    public void TryCompare_AmendmentReversed_TheSmallerMinimumGroupSizeGrantsMoreAndGbIsNoLongerPermitted()
    {
        var diff = Compare(s_v2, s_v1);

        Assert.Contains(diff.Changes, c => c is { Class: ChangeClass.Narrowing, Clause: "research-rows", Aspect: "jurisdictions" });
        Assert.Contains(diff.Changes, c => c is { Class: ChangeClass.Widening, Clause: "cohort-statistics", Aspect: "minimum group size" });
        Assert.True(diff.GrantsMore);
        Assert.True(diff.Widening!.ObligationsOnly);
        Assert.Equal(DataAction.AggregateQuery, diff.Widening.Request.Action);
        Assert.Equal((20, 10), (diff.Widening.Before.Obligations.MinGroupSize, diff.Widening.After.Obligations.MinGroupSize));
        Assert.Equal("GB", diff.Narrowing!.Request.Jurisdiction.Value);
        Assert.False(diff.Narrowing.After.IsPermit);
    }

    [Fact]
    public void TryCompare_GrantWidenedIntoWhatAProhibitionForbids_ChangeIsWideningButTheVerdictIsNot()
    {
        var widened = s_v1 with { Version = 2, Grants = [.. s_v1.Grants.Select(g => g.Id.Value == "research-rows" ? g with { Jurisdictions = [.. g.Jurisdictions, new Jurisdiction("US")] } : g)] };

        var diff = Compare(s_v1, widened);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "research-rows", "jurisdictions"), (change.Class, change.Clause, change.Aspect));
        Assert.False(diff.GrantsMore);
    }

    [Fact]
    public void TryCompare_ProhibitionRemoved_WideningAndGrantsMore()
    {
        // Grants that name no jurisdiction, so the prohibition alone keeps US, CN and IN out.
        var anywhere = s_v1 with { Grants = [.. s_v1.Grants.Select(g => g with { Jurisdictions = [] })] };
        var without = anywhere with { Version = 2, Prohibitions = [.. s_v1.Prohibitions.Where(p => p.Id.Value != "eu-only")] };

        var diff = Compare(anywhere, without);

        Assert.Contains(diff.Changes, c => c is { Class: ChangeClass.Widening, Clause: "eu-only", Aspect: "prohibition" });
        Assert.True(diff.GrantsMore);
        Assert.False(diff.Widening!.Before.IsPermit);
        Assert.Contains(diff.Widening.Before.Reasons, r => r.Clause?.Value == "eu-only");
        Assert.Contains(diff.Widening.Request.Jurisdiction.Value, (string[])["CN", "IN", "US"]);
    }

    [Fact]
    public void TryCompare_PseudonymisedFieldLeftPlain_ObligationsOnlyWidening()
    {
        var plain = s_v1 with { Version = 2, Grants = [.. s_v1.Grants.Select(g => g with { FieldRules = [.. g.FieldRules.Where(r => r.Field.Value != "patient_id")] })] };

        var diff = Compare(s_v1, plain);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "research-rows", "field patient_id"), (change.Class, change.Clause, change.Aspect));
        Assert.Contains("`pseudonymise` became left unchanged", change.Description, StringComparison.Ordinal);
        Assert.True(diff.GrantsMore);
        Assert.True(diff.Widening!.ObligationsOnly);
        Assert.Contains(diff.Widening.Before.Obligations.FieldRules, r => r.Field.Value == "patient_id" && r.Kind == FieldRuleKind.Pseudonymise);
        Assert.DoesNotContain(diff.Widening.After.Obligations.FieldRules, r => r.Field.Value == "patient_id");
    }

    [Fact]
    public void TryCompare_ConsentDroppedAndWindowShortened_OneWideningOneNarrowing()
    {
        var changed = s_v1 with
        {
            Version = 2,
            Effective = s_v1.Effective with { Until = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            Grants = [.. s_v1.Grants.Select(g => g.RowRules is null ? g : g with { RowRules = g.RowRules with { RequireConsent = false } })],
        };

        var diff = Compare(s_v1, changed);

        Assert.Contains(diff.Changes, c => c is { Class: ChangeClass.Widening, Clause: "research-rows", Aspect: "consent" });
        Assert.Contains(diff.Changes, c => c is { Class: ChangeClass.Narrowing, Clause: "effective", Aspect: "window" });
        Assert.True(diff.GrantsMore);
        Assert.True(diff.Widening!.ObligationsOnly);
        Assert.False(diff.Narrowing!.After.IsPermit);
        Assert.True(diff.Narrowing.Request.Time >= new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void TryCompare_LifetimeEpsilonRemoved_WideningAndAnAggregateQueryWithAWeakerBudget()
    {
        var uncapped = WithGrant(s_v1, "cohort-statistics", g => g with { PrivacyBudget = g.PrivacyBudget! with { LifetimeEpsilon = null } });

        var diff = Compare(s_v1, uncapped);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "cohort-statistics", "privacy budget"), (change.Class, change.Clause, change.Aspect));
        Assert.Contains("lifetime ε 12 became", change.Description, StringComparison.Ordinal);
        Assert.True(diff.GrantsMore);
        Assert.True(diff.Widening!.ObligationsOnly);
        Assert.Equal(DataAction.AggregateQuery, diff.Widening.Request.Action);
        Assert.Null(diff.Widening.After.Obligations.PrivacyBudget!.LifetimeEpsilon);
    }

    [Fact]
    public void TryCompare_AggregateScopeWidened_EachAspectWideningAndTheVerdictGrantsMore()
    {
        var scoped = WithGrant(s_v1, "cohort-statistics", g => g with { Aggregates = new AggregateScope([new FieldName("diagnosis_code")], [], [], 4, null) }) with { Version = 1 };
        var wider = WithGrant(scoped, "cohort-statistics", g => g with { Aggregates = new AggregateScope([new FieldName("diagnosis_code"), new FieldName("postcode")], [], [new FieldName("patient_id")], null, null) { CanSelectPartitions = true } });

        var diff = Compare(scoped, wider);
        var back = Compare(wider, scoped);

        Assert.Equal(
            [
                (ChangeClass.Widening, "aggregate dimensions"),
                (ChangeClass.Widening, "join keys"),
                (ChangeClass.Widening, "max groups per entity"),
                (ChangeClass.Widening, "partition selection"),
            ],
            diff.Changes.Select(c => (c.Class, c.Aspect)));
        Assert.True(diff.GrantsMore);
        Assert.True(diff.Widening!.ObligationsOnly);
        Assert.Equal(DataAction.AggregateQuery, diff.Widening.Request.Action);
        Assert.All(back.Changes, c => Assert.Equal(ChangeClass.Narrowing, c.Class));
        Assert.False(back.GrantsMore);
        Assert.Equal(DataAction.AggregateQuery, back.Narrowing!.Request.Action);
    }

    [Fact]
    public void TryCompare_AggregatesRemoved_WideningAnyFieldMayBeGroupedBy()
    {
        var scoped = WithGrant(s_v1, "cohort-statistics", g => g with { Aggregates = new AggregateScope([new FieldName("diagnosis_code")], [], [], null, null) }) with { Version = 1 };

        var diff = Compare(scoped, s_v1);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "cohort-statistics", "aggregates"), (change.Class, change.Clause, change.Aspect));
        Assert.True(diff.GrantsMore);
    }

    [Fact]
    public void TryCompare_DiligenceIncidentLevelsAndDataRoles_WeakerTermsAreWidening()
    {
        var key = s_v1.Parties[0].Keys[0];
        var strict = s_v1 with
        {
            Diligence = [new DiligenceRequirement(new PartyId("northwind-research"), 365, 70, [key])],
            Incidents = s_v1.Incidents! with { ServiceLevels = new IncidentServiceLevels(TimeSpan.FromHours(1), TimeSpan.FromHours(4), null) },
            Parties = [.. s_v1.Parties.Select(p => p.Id.Value == "northwind-research" ? p with { DataRoles = new Dictionary<PurposeId, DataRole> { [new PurposeId("research")] = DataRole.Processor } } : p)],
        };
        var lax = strict with
        {
            Version = 2,
            Diligence = [new DiligenceRequirement(new PartyId("northwind-research"), 730, 50, [key])],
            Incidents = strict.Incidents! with { ServiceLevels = new IncidentServiceLevels(TimeSpan.FromHours(1), TimeSpan.FromHours(48), null) },
            Parties = [.. s_v1.Parties.Select(p => p.Id.Value == "northwind-research" ? p with { DataRoles = new Dictionary<PurposeId, DataRole> { [new PurposeId("research")] = DataRole.Controller } } : p)],
        };

        var diff = Compare(strict, lax);
        var back = Compare(lax, strict);
        var dropped = Compare(strict, strict with { Version = 2, Diligence = [] });

        Assert.Equal(
            [
                ("incidents", "incident contain"),
                ("diligence", "diligence northwind-research max age"),
                ("diligence", "diligence northwind-research min score"),
                ("parties", "data role northwind-research research"),
            ],
            diff.Changes.Select(c => (c.Clause, c.Aspect)));
        Assert.All(diff.Changes, c => Assert.Equal(ChangeClass.Widening, c.Class));
        Assert.All(back.Changes, c => Assert.Equal(ChangeClass.Narrowing, c.Class));
        Assert.Equal((ChangeClass.Widening, "diligence northwind-research"), (Assert.Single(dropped.Changes).Class, dropped.Changes[0].Aspect));
        Assert.False(diff.GrantsMore);
        Assert.True(diff.Widens);
    }

    [Fact]
    public void TryCompare_ApproverRemoved_WideningAndAddedBackNarrowing()
    {
        var unapproved = s_v1 with { Version = 2, Approvers = [] };

        var diff = Compare(s_v1, unapproved);
        var back = Compare(unapproved, s_v1 with { Version = 3 });

        Assert.Equal((ChangeClass.Widening, "approvers", "approvers removed: `ethics-board`"), (Assert.Single(diff.Changes).Class, diff.Changes[0].Clause, diff.Changes[0].Description));
        Assert.Equal(ChangeClass.Narrowing, Assert.Single(back.Changes).Class);
        Assert.False(diff.GrantsMore);
    }

    [Fact]
    public void TryCompare_ConditionLoosened_ClassedWideningByTheVerdictsWitness()
    {
        var strict = WithGrant(s_v1, "research-rows", g => g with { When = Condition("request.jurisdiction in [DE]") }) with { Version = 1 };
        var loose = WithGrant(strict, "research-rows", g => g with { When = Condition("request.jurisdiction in [DE, NL]") });

        var diff = Compare(strict, loose);
        var back = Compare(loose, strict);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "research-rows", "when"), (change.Class, change.Clause, change.Aspect));
        Assert.EndsWith("(the verdict's witness shows it grants more)", change.Description, StringComparison.Ordinal);
        Assert.Equal("NL", diff.Widening!.Request.Jurisdiction.Value);
        Assert.Equal(ChangeClass.Narrowing, Assert.Single(back.Changes).Class);
    }

    [Fact]
    public void TryCompare_PartyAttributeMeetsACondition_PartyChangeClassedWidening()
    {
        var conditioned = WithGrant(s_v1, "research-rows", g => g with { When = Condition("any recipient.certifications in [iso-27001]") }) with { Version = 1 };
        var certified = conditioned with
        {
            Version = 2,
            Parties = [.. conditioned.Parties.Select(p => p.Id.Value == "northwind-research" ? p with { Certifications = ["iso-27001"] } : p)],
        };

        var diff = Compare(conditioned, certified);

        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeClass.Widening, "parties", "parties northwind-research"), (change.Class, change.Clause, change.Aspect));
        Assert.True(diff.GrantsMore);
        Assert.False(diff.Widening!.ObligationsOnly);
    }

    [Fact]
    public void TryCompare_ConditionTextChangedToTheSameMeaning_StaysNeutral()
    {
        var one = WithGrant(s_v1, "research-rows", g => g with { When = Condition("request.jurisdiction in [DE, NL]") }) with { Version = 1 };
        var same = WithGrant(one, "research-rows", g => g with { When = Condition("request.jurisdiction in [DE] or request.jurisdiction in [NL]") });

        var diff = Compare(one, same);

        Assert.Equal(ChangeClass.Neutral, Assert.Single(diff.Changes).Class);
        Assert.False(diff.GrantsMore);
        Assert.Null(diff.Narrowing);
    }

    [Fact]
    public void TryCompare_EveryPairOfSampleVersions_ComparedWhenOneAgreementAndRefusedOtherwise()
    {
        var samples = ((string[])["agreements", "amendments"])
            .SelectMany(folder => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", folder), "*.yaml").Select(path => Read(folder, Path.GetFileName(path))))
            .ToList();
        var compared = 0;

        foreach (var before in samples)
        {
            foreach (var after in samples)
            {
                if (before.Id != after.Id)
                {
                    Assert.False(AgreementDiffer.TryCompare(before, after, out _, out var problem));
                    Assert.Equal("AGR3401", problem.Code);
                    continue;
                }

                var diff = Compare(before, after);
                compared++;
                Assert.Equal(diff.GrantsMore, diff.Widening is not null);
                Assert.True(!diff.GrantsMore || diff.Changes.Any(c => c.Class == ChangeClass.Widening), $"{before.Id} {before.Version} → {after.Version}: the verdict grants more but no change is widening");
                Assert.Equal(before.Version == after.Version, diff.Changes.Count == 0 && diff.Narrowing is null && !diff.GrantsMore);
            }
        }

        Assert.True(compared > samples.Count, $"{compared} pairs of one agreement compared");
    }

    [Fact]
    public void TryCompare_TwoDifferentAgreements_Agr3401()
    {
        var other = s_v1 with { Id = new AgreementId("another-agreement") };

        Assert.False(AgreementDiffer.TryCompare(s_v1, other, out var diff, out var problem));
        Assert.Null(diff);
        Assert.Equal("AGR3401", problem.Code);
        Assert.Contains("`hospital-research` and `another-agreement`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_SameDiff_SameDigestAndChangesWithTheAmendment()
    {
        var first = AgreementDiffJson.Digest(Compare(s_v1, s_v2), s_v1, s_v2);
        var again = AgreementDiffJson.Digest(Compare(s_v1, s_v2), s_v1, s_v2);
        var reversed = AgreementDiffJson.Digest(Compare(s_v2, s_v1), s_v2, s_v1);

        Assert.Equal(first, again);
        Assert.NotEqual(first, reversed);
        var json = AgreementDiffJson.Write(Compare(s_v1, s_v2), s_v1, s_v2);
        Assert.Equal(AgreementDigest.Compute(s_v2).ToString(), json["after"]!["digest"]!.GetValue<string>());
        Assert.Equal("widening", json["changes"]![0]!["class"]!.GetValue<string>());
        Assert.Equal("deny", json["widening"]!["before"]!["effect"]!.GetValue<string>());
    }

    private static Agreement WithGrant(Agreement agreement, string clause, Func<Grant, Grant> change) =>
        agreement with { Version = agreement.Version + 1, Grants = [.. agreement.Grants.Select(g => g.Id.Value == clause ? change(g) : g)] };

    private static Condition Condition(string text)
    {
        Assert.True(Concordat.Agreements.Condition.TryParse(text, out var condition, out var error), error);
        return condition;
    }

    internal static AgreementDiff Compare(Agreement before, Agreement after)
    {
        Assert.True(AgreementDiffer.TryCompare(before, after, out var diff, out var problem), problem?.ToString());
        return diff;
    }

    private static Agreement Read(string folder, string name)
    {
        var read = AgreementReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", folder, name)), name);
        Assert.True(read.Agreement is not null, string.Join("\n", read.Diagnostics));
        return read.Agreement;
    }
}
