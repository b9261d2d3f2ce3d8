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
