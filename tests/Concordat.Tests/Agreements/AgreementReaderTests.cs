using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Tests.Agreements;

public sealed class AgreementReaderTests
{
    internal const string Minimal = """
        concordat: 1
        id: demo
        version: 2
        title: Demo agreement
        partnership: bilateral
        engagement: data-sharing
        parties:
          - { id: provider-org, legalName: Provider Org, jurisdiction: FR, roles: [provider] }
          - { id: lab, legalName: The Lab, jurisdiction: GB, roles: [recipient] }
        effective: { from: 2026-01-01T00:00:00Z, until: 2028-01-01T00:00:00Z }
        termination: { noticeDays: 30, deleteWithinDays: 30 }
        purposes:
          - id: research
          - { id: training, broader: research }
        datasets:
          - id: corpus
            owner: provider-org
            tags: { sensitivity: internal }
            fields:
              - { name: text, type: string }
              - { name: author, type: string }
        grants:
          - id: g1
            recipient: lab
            datasets: [corpus]
            purposes: [training]
            actions: [read-rows]
        """;

    [Fact]
    public void Read_CleanRoomTerms_BindsTheGrantsScopeTheEntityKeyAndTheLifetimeCap()
    {
        var text = Minimal
            .Replace("      - { name: text, type: string }", "      - { name: text, type: string }\n      - { name: words, type: integer }", StringComparison.Ordinal)
            .Replace("    tags: { sensitivity: internal }", "    tags: { sensitivity: internal }\n    entityKey: author", StringComparison.Ordinal)
            .Replace("    actions: [read-rows]", """
                    actions: [aggregate-query]
                    privacyBudget: { epsilon: 1, delta: 0, period: P7D, lifetimeEpsilon: 4 }
                    aggregates: { dimensions: [text], measures: [words], joinKeys: [author], maxGroupsPerEntity: 3 }
                """.TrimEnd(), StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        var grant = result.Agreement!.Grants[0];
        var scope = grant.Aggregates!;
        Assert.Equal([new FieldName("text")], scope.Dimensions);
        Assert.Equal([new FieldName("words")], scope.Measures);
        Assert.Equal([new FieldName("author")], scope.JoinKeys);
        Assert.Equal((3, (int?)null), (scope.MaxGroupsPerEntity, scope.MaxRowsPerGroup));
        Assert.Equal(4.0, grant.PrivacyBudget!.LifetimeEpsilon);
        Assert.Equal(new FieldName("author"), result.Agreement.Datasets[0].EntityKey);
        var canonical = System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(result.Agreement));
        Assert.Contains("\"aggregates\":{\"dimensions\":[\"text\"],\"joinKeys\":[\"author\"],\"maxGroupsPerEntity\":3,\"measures\":[\"words\"]}", canonical, StringComparison.Ordinal);
        Assert.Contains("\"lifetimeEpsilon\":4", canonical, StringComparison.Ordinal);
        Assert.Contains("\"entityKey\":\"author\"", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Minimal_ReturnsTypedAgreement()
    {
        var result = AgreementReader.Read(Minimal, "demo.yaml");

        Assert.Empty(result.Diagnostics);
        var agreement = Assert.IsType<Agreement>(result.Agreement);
        Assert.Equal(new AgreementId("demo"), agreement.Id);
        Assert.Equal(2, agreement.Version);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), agreement.Effective.From);
        Assert.Equal([DataAction.ReadRows], agreement.Grants[0].Actions);
        Assert.Equal(new PurposeId("research"), agreement.Purposes[1].Broader);
    }

    [Theory]
    [InlineData("title: Demo agreement", "title: Demo\ntitle: Again", "AGR1002", 5, 1)]
    [InlineData("id: demo", "id: &a demo", "AGR1003", 2, 5)]
    [InlineData("title: Demo agreement", "title: !!str Demo", "AGR1004", 4, 8)]
    [InlineData("version: 2", "verison: 2", "AGR2001", 3, 1)]
    [InlineData("version: 2", "version: two", "AGR2002", 3, 10)]
    [InlineData("concordat: 1", "concordat: 7", "AGR1008", 1, 12)]
    [InlineData("recipient: lab", "recipient: lbb", "AGR2006", 24, 16)]
    [InlineData("datasets: [corpus]", "datasets: [corpse]", "AGR2007", 25, 16)]
    [InlineData("purposes: [training]", "purposes: [trainin]", "AGR2009", 26, 16)]
    [InlineData("actions: [read-rows]", "actions: [read-row]", "AGR2004", 27, 15)]
    [InlineData("termination: { noticeDays: 30, deleteWithinDays: 30 }", "termination: { noticeDays: 30 }\nbreachNotificationHours: 72\n", null, 0, 0)]
    public void Read_OneMistake_ReportsItsCodeAndPlace(string find, string replace, string? code, int line, int column)
    {
        var result = AgreementReader.Read(Minimal.Replace(find, replace, StringComparison.Ordinal), "demo.yaml");

        if (code is null)
        {
            Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
            return;
        }

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.Equal(("demo.yaml", line, column), (diagnostic.Span!.File, diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Null(result.Agreement);
    }

    [Fact]
    public void Read_ManyMistakes_ReportsEveryOneInSourceOrder()
    {
        var text = Minimal
            .Replace("version: 2", "version: 0", StringComparison.Ordinal)
            .Replace("legalName: The Lab", "legalNme: The Lab", StringComparison.Ordinal)
            .Replace("purposes: [training]", "purposes: [ads]", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Equal(["AGR2004", "AGR2003", "AGR2001", "AGR2009"], result.Diagnostics.Select(d => d.Code));
        Assert.Equal(result.Diagnostics.OrderBy(d => d.Span!.Line).ThenBy(d => d.Span!.Column), result.Diagnostics);
    }

    [Fact]
    public void Read_YamlSyntaxError_ReportsOneDiagnosticWithPlace()
    {
        var result = AgreementReader.Read("concordat: 1\nid: [unclosed\ntitle: x\n", "bad.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("AGR1001", diagnostic.Code);
        Assert.Equal("bad.yaml", diagnostic.Span!.File);
        Assert.DoesNotContain("Line:", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    [InlineData("a: 1\n---\nb: 2\n")]
    public void Read_NotAnAgreement_ReportsErrorsAndNoAgreement(string text)
    {
        var result = AgreementReader.Read(text, "x.yaml");

        Assert.True(result.HasErrors);
        Assert.Null(result.Agreement);
    }

    [Fact]
    public void Read_GrantedAndProhibitedPurpose_ReportsContradiction()
    {
        var text = Minimal + "\nprohibitions:\n  - { id: p1, recipients: [lab], purposes: [research] }\n";

        var result = AgreementReader.Read(text, "demo.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == AgreementDiagnosticCodes.GrantedAndProhibited.Code);
        Assert.Contains("`training`", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("`p1`", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ProhibitionInAnotherJurisdiction_IsNoContradiction()
    {
        var text = Minimal + "\nprohibitions:\n  - { id: p1, purposes: [research], jurisdictions: [US] }\n";

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("    actions: [read-rows]\n    fieldRules:\n      - { field: text, rule: drop }\n      - { field: text, rule: pseudonymise }\n", "AGR2012")]
    [InlineData("    actions: [read-rows]\n    window: { from: 2025-06-01T00:00:00Z }\n", "AGR2013")]
    [InlineData("    actions: [read-rows]\n    privacyBudget: { epsilon: 1, delta: 0, period: P30D }\n", "AGR2015")]
    [InlineData("    actions: [read-rows]\n    fieldRules:\n      - { field: txt, rule: drop }\n", "AGR2008")]
    [InlineData("    actions: [read-rows]\n    rowRules: { requireConsent: true }\n", "AGR2022")]
    [InlineData("    actions: [read-rows]\n    tokenLifetime: P1M\n", "AGR2004")]
    public void Read_GrantContradiction_ReportsCode(string actionsAndMore, string code)
    {
        var text = (Minimal + "\n").Replace("    actions: [read-rows]\n", actionsAndMore, StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == code && d.IsError);
    }

    [Fact]
    public void Read_RecipientWithoutRecipientRole_ReportsNotARecipient()
    {
        var text = Minimal.Replace("recipient: lab", "recipient: provider-org", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == AgreementDiagnosticCodes.NotARecipient.Code);
    }

    [Fact]
    public void Read_RetentionLongerThanTerminationAllows_ReportsContradiction()
    {
        var text = Minimal + "\nretention: { daysAfterEgress: 90 }\n";

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == AgreementDiagnosticCodes.RetentionBeyondTermination.Code);
    }

    [Fact]
    public void Read_OverlappingGrants_WarnsButKeepsAgreement()
    {
        var text = Minimal + "\n  - { id: g2, recipient: lab, datasets: [corpus], purposes: [research], actions: [read-rows, aggregate-query] }\n";

        var result = AgreementReader.Read(text, "demo.yaml");

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((AgreementDiagnosticCodes.OverlappingGrants.Code, DiagnosticSeverity.Warning), (diagnostic.Code, diagnostic.Severity));
        Assert.NotNull(result.Agreement);
    }

    [Fact]
    public void Read_EuPersonalDataWithoutDpia_WarnsWithLintCodes()
    {
        var text = Minimal.Replace("tags: { sensitivity: internal }", "tags: { sensitivity: restricted, personalData: true, originJurisdiction: FR }", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Equal(
            [AgreementDiagnosticCodes.LintNoBreachDeadline.Code, AgreementDiagnosticCodes.LintNoDpia.Code, AgreementDiagnosticCodes.LintNoRetention.Code, AgreementDiagnosticCodes.LintNoBreachContact.Code, AgreementDiagnosticCodes.LintNoBreachContact.Code],
            result.Diagnostics.Select(d => d.Code).Order());
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void Read_UnknownKey_SuggestsTheClosestKey()
    {
        var result = AgreementReader.Read(Minimal.Replace("legalName: The Lab", "legalname: The Lab", StringComparison.Ordinal), "demo.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == AgreementDiagnosticCodes.UnknownKey.Code);
        Assert.StartsWith("did you mean `legalName`?", diagnostic.Help, StringComparison.Ordinal);
    }
}
