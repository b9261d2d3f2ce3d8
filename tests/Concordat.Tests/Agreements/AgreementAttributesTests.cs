using Concordat.Agreements;

namespace Concordat.Tests.Agreements;

public sealed class AgreementAttributesTests
{
    internal const string WithAttributes = """
        concordat: 1
        id: attrs
        version: 1
        title: Attribute-based agreement
        partnership: consortium
        engagement: data-sharing
        attributes:
          - { name: tier, of: party, type: ordered, levels: [bronze, silver, gold] }
          - { name: certifiedUntil, of: party, type: instant }
          - { name: domain, of: dataset, type: string }
          - { name: records, of: dataset, type: integer }
        parties:
          - { id: provider-org, legalName: Provider Org, jurisdiction: FR, roles: [provider] }
          - id: lab
            legalName: The Lab
            jurisdiction: GB
            roles: [recipient]
            clearance: confidential
            certifications: [iso-27001]
            attributes: { tier: gold, certifiedUntil: 2027-06-01T00:00:00Z }
          - { id: uni, legalName: The University, jurisdiction: DE, roles: [recipient], clearance: internal }
        groups:
          - { id: members, parties: [lab, uni] }
        effective: { from: 2026-01-01T00:00:00Z, until: 2028-01-01T00:00:00Z }
        purposes:
          - id: research
          - { id: training, broader: research }
        datasets:
          - id: corpus
            owner: provider-org
            tags: { sensitivity: internal, residency: [EU] }
            attributes: { domain: text, records: 120000 }
          - id: records
            owner: provider-org
            tags: { sensitivity: confidential, personalData: true, residency: [FR, DE] }
        collections:
          - { id: community, datasets: [corpus, records] }
        grants:
          - id: g1
            groups: [members]
            collections: [community]
            purposes: [research]
            actions: [read-rows]
            when: dataset.sensitivity <= recipient.clearance and request.time < recipient.certifiedUntil
        prohibitions:
          - id: residency
            collections: [community]
            when: dataset.personalData and not request.jurisdiction in dataset.residency
          - id: gold-only
            purposes: [training]
            unless: recipient.tier >= gold
        """;

    [Fact]
    public void Read_AttributesCollectionsGroupsAndConditions_ReturnsTypedAgreement()
    {
        var result = AgreementReader.Read(WithAttributes, "attrs.yaml");

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var agreement = Assert.IsType<Agreement>(result.Agreement);
        Assert.Equal(4, agreement.Attributes.Count);
        Assert.Equal(SensitivityLevel.Confidential, agreement.Parties[1].Clearance);
        Assert.Equal(["iso-27001"], agreement.Parties[1].Certifications);
        Assert.Equal(["DE", "FR"], agreement.Datasets[1].Tags.Residency.Select(j => j.Value).Order(StringComparer.Ordinal));
        Assert.Equal([new GroupId("members")], agreement.Grants[0].Groups);
        Assert.Equal(string.Empty, agreement.Grants[0].Recipient.Value);
        Assert.Equal("dataset.personalData and not request.jurisdiction in dataset.residency", agreement.Prohibitions[0].When!.Text);
        Assert.Equal("recipient.tier >= gold", agreement.Prohibitions[1].Unless!.Text);
    }

    [Theory]
    [InlineData("request.time < recipient.certifiedUntil", "request.time < recipient.certifiedUntl", "AGR2026", 44, 73)]
    [InlineData("dataset.sensitivity <= recipient.clearance", "dataset.sensitivity <= recipient.jurisdiction", "AGR2027", 44, 11)]
    [InlineData("recipient.tier >= gold", "recipient.tier >= platinum", "AGR2027", 51, 31)]
    [InlineData("request.time < recipient.certifiedUntil", "request.time < < recipient.certifiedUntil", "AGR2028", 44, 73)]
    [InlineData("collections: [community]\n    when", "collections: [comunity]\n    when", "AGR2029", 47, 19)]
    [InlineData("attributes: { tier: gold,", "attributes: { tir: gold,", "AGR2026", 20, 19)]
    [InlineData("purposes: [training]\n    unless", "purposes: [training]\n    when: request.purpose in [trainin]\n    unless", "AGR2009", 51, 31)]
    public void Read_BrokenAttributeConstruct_ReportsCodeAtItsPlace(string find, string replace, string code, int line, int column)
    {
        var text = WithAttributes.Replace(find, replace, StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "attrs.yaml");

        Assert.Null(result.Agreement);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal((line, column), (diagnostic.Span!.Line, diagnostic.Span.Column));
    }

    [Fact]
    public void Read_QuotedCondition_PointsPastTheQuote()
    {
        var text = WithAttributes.Replace("unless: recipient.tier >= gold", "unless: 'recipient.tear >= gold'", StringComparison.Ordinal);

        var diagnostic = Assert.Single(AgreementReader.Read(text, "attrs.yaml").Diagnostics, d => d.IsError);

        Assert.Equal(("AGR2026", 51, 14), (diagnostic.Code, diagnostic.Span!.Line, diagnostic.Span.Column));
    }

    [Theory]
    [InlineData("recipient.tier >= gold", "(recipient.tier   >=   gold)")]
    [InlineData("recipient.tier >= gold", "'recipient.tier >= gold'")]
    public void Digest_ConditionLayout_DoesNotChangeTheDigest(string find, string replace)
    {
        var before = AgreementReader.Read(WithAttributes, "a.yaml").Agreement!;
        var after = AgreementReader.Read(WithAttributes.Replace(find, replace, StringComparison.Ordinal), "a.yaml").Agreement!;

        Assert.Equal(AgreementDigest.Compute(before), AgreementDigest.Compute(after));
    }

    [Fact]
    public void Digest_ConditionMeaning_ChangesTheDigest()
    {
        var before = AgreementReader.Read(WithAttributes, "a.yaml").Agreement!;
        var after = AgreementReader.Read(WithAttributes.Replace("recipient.tier >= gold", "recipient.tier > gold", StringComparison.Ordinal), "a.yaml").Agreement!;

        Assert.NotEqual(AgreementDigest.Compute(before), AgreementDigest.Compute(after));
    }

    [Fact]
    public void Digest_SetLiteralOrder_DoesNotChangeTheDigest()
    {
        var text = WithAttributes.Replace("unless: recipient.tier >= gold", "unless: request.jurisdiction in [FR, DE]", StringComparison.Ordinal);
        var reordered = WithAttributes.Replace("unless: recipient.tier >= gold", "unless: request.jurisdiction in [DE, FR]", StringComparison.Ordinal);

        Assert.Equal(AgreementDigest.Compute(AgreementReader.Read(text, "a.yaml").Agreement!), AgreementDigest.Compute(AgreementReader.Read(reordered, "a.yaml").Agreement!));
    }

    [Theory]
    [InlineData("dataset.residency in [DE]", "AGR2027")]
    [InlineData("all dataset.residency in [EU, EEA]", null)]
    [InlineData("any recipient.certifications in [iso-27001, soc2]", null)]
    [InlineData("dataset.residency contains request.jurisdiction", null)]
    [InlineData("dataset.records > 1000 or dataset.domain == text", null)]
    [InlineData("dataset.records > many", "AGR2027")]
    [InlineData("request.action in [read-rows, aggregate-query] and request.role != training", null)]
    [InlineData("request.action == write", "AGR2027")]
    [InlineData("request.time >= 2026-06-01T00:00:00Z", null)]
    [InlineData("request.time >= tomorrow", "AGR2027")]
    [InlineData("dataset.sensitivity", "AGR2027")]
    [InlineData("'a' == 'b'", "AGR2027")]
    [InlineData("request.jurisdiction == request.jurisdiction", "AGR2027")]
    [InlineData("recipient.id in [lab] and 'members' in recipient.groups and 'community' in dataset.collections", null)]
    [InlineData("dataset.sensitivity == recipient.tier", "AGR2027")]
    [InlineData("not (", "AGR2028")]
    [InlineData("dataset.sensitivity = public", "AGR2028")]
    public void Read_Condition_IsCheckedForTypes(string condition, string? code)
    {
        var text = WithAttributes.Replace("unless: recipient.tier >= gold", $"unless: \"{condition}\"", StringComparison.Ordinal);

        var errors = AgreementReader.Read(text, "a.yaml").Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct();

        Assert.Equal(code is null ? [] : [code], errors);
    }

    [Theory]
    [InlineData("  - { name: tier, of: party, type: ordered, levels: [bronze, silver, gold] }", "  - { name: tier, of: party, type: ordered }", "AGR2004")]
    [InlineData("  - { name: domain, of: dataset, type: string }", "  - { name: sensitivity, of: dataset, type: string }", "AGR2004")]
    [InlineData("  - { name: domain, of: dataset, type: string }", "  - { name: records, of: dataset, type: string }", "AGR2005")]
    [InlineData("records: 120000", "records: lots", "AGR2002")]
    public void Read_BrokenDeclaration_IsReported(string find, string replace, string code)
    {
        var text = WithAttributes.Replace(find, replace, StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "a.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == code);
    }

    [Fact]
    public void Read_GrantWithNeitherRecipientNorGroups_ReportsMissingKey()
    {
        var text = WithAttributes.Replace("    groups: [members]\n", string.Empty, StringComparison.Ordinal);

        var diagnostic = Assert.Single(AgreementReader.Read(text, "a.yaml").Diagnostics, d => d.IsError);

        Assert.Equal("AGR2003", diagnostic.Code);
    }

    [Theory]
    [InlineData("{ id: p, purposes: [research], sensitivities: [public, internal, confidential, restricted] }", true)]
    [InlineData("{ id: p, purposes: [research], sensitivities: [internal] }", true)]
    [InlineData("{ id: p, purposes: [research], sensitivities: [restricted] }", false)]
    [InlineData("{ id: p, purposes: [research], collections: [community], groups: [members] }", true)]
    [InlineData("{ id: p, purposes: [research], when: dataset.personalData }", true)]
    [InlineData("{ id: p, purposes: [research], when: \"recipient.id == nobody\" }", false)]
    [InlineData("{ id: p, purposes: [research], when: request.jurisdiction in [US] }", false)]
    [InlineData("{ id: p, purposes: [research], unless: recipient.tier == gold }", true)]
    [InlineData("{ id: p, purposes: [research], unless: request.jurisdiction in [DE] }", false)]
    public void Read_ProhibitionThatForbidsAGrantedPurpose_IsFoundThroughCollectionsGroupsAndConditions(string prohibition, bool conflicts)
    {
        var text = WithAttributes
            .Replace("    when: dataset.sensitivity <= recipient.clearance and request.time < recipient.certifiedUntil\n", string.Empty, StringComparison.Ordinal)
            .Replace("prohibitions:\n", $"prohibitions:\n  - {prohibition}\n", StringComparison.Ordinal);

        var codes = AgreementReader.Read(text, "a.yaml").Diagnostics.Select(d => d.Code);

        Assert.Equal(conflicts, codes.Contains("AGR2011"));
    }
}
