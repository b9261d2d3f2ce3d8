using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Privacy;
using Concordat.Testing.Agreements;
using Concordat.Testing.Datasets;

namespace Concordat.Data.Tests.Egress;

public sealed class EgressPlanTests
{
    [Theory]
    [InlineData("ssn", FieldRuleKind.Drop, null, "GW6260", "a field rule names `ssn`, a field dataset `patients` lacks")]
    [InlineData("name", FieldRuleKind.Mask, "two", "GW6262", "the mask rule of field `name` keeps `two` characters, not a whole number from 0 to 1024")]
    [InlineData("date_of_birth", FieldRuleKind.Generalise, "decade", "GW6263", "the generalise rule of field `date_of_birth` has parameter `decade`; expected `month`, `year`, `range:N` or `prefix:N`")]
    [InlineData("systolic_bp", FieldRuleKind.Generalise, "month", "GW6263", "the generalise rule `month` does not fit field `systolic_bp` of type `integer`")]
    [InlineData("name", FieldRuleKind.Pseudonymise, null, "GW6266", "field `name` is pseudonymised but no pseudonym key was given")]
    public void TryCompile_RuleThatCannotBeCarriedOut_FailsWithDiagnostic(string field, FieldRuleKind kind, string? parameter, string code, string message)
    {
        var compiled = EgressPlan.TryCompile(SyntheticPatients.Definition(), [new FieldRule(new FieldName(field), kind, parameter)], null, [], null, null, out var plan, out var diagnostics);

        Assert.False(compiled);
        Assert.Null(plan);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal((code, message), (diagnostic.Code, diagnostic.Message));
    }

    [Fact]
    public void TryCompile_TwoRulesForOneField_Fails()
    {
        var rules = new[] { new FieldRule(new FieldName("name"), FieldRuleKind.Drop, null), new FieldRule(new FieldName("name"), FieldRuleKind.Allow, null) };

        Assert.False(EgressPlan.TryCompile(SyntheticPatients.Definition(), rules, null, [], null, null, out _, out var diagnostics));
        Assert.Equal("GW6261", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void TryCompile_RowRulesWithoutConsentOrResidencyField_FailsClosed()
    {
        var definition = SyntheticPatients.Definition() with { ConsentField = null, ResidencyField = null };

        Assert.False(EgressPlan.TryCompile(definition, [], new RowRules(true, [new Jurisdiction("GB")]), [], null, null, out _, out var diagnostics));
        Assert.Equal(["GW6264", "GW6265"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void TryCompile_DroppedFields_LeaveNoColumnAndKeyOnlyWhenNeeded()
    {
        using var key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), new DatasetId("patients"));
        var rules = new[] { new FieldRule(new FieldName("name"), FieldRuleKind.Drop, null), new FieldRule(new FieldName("bmi"), FieldRuleKind.Drop, null) };

        Assert.True(EgressPlan.TryCompile(SyntheticPatients.Definition(), rules, null, [], null, key, out var plan, out _));
        Assert.Equal(8, plan.Columns.Length);
        Assert.DoesNotContain(plan.Columns, c => c.Name.Value is "name" or "bmi");
        Assert.Null(plan.PseudonymKey);
        Assert.True(plan.Matches([.. SyntheticPatients.Definition().Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))]));
        Assert.False(plan.Matches([new DatasetSchemaField(new FieldName("patient_id"), FieldType.String)]));
    }

    [Fact]
    public void TryCompileForStoredSchema_FieldsAddedAndRemovedSince_DropsWhatTheAgreementNoLongerDeclaresAndKeepsItsRules()
    {
        var definition = SyntheticPatients.Definition();
        var agreement = new AgreementBuilder("patients-study").Purpose("research").Build() with { Datasets = [definition] };

        // Stored before an amendment added `bmi` and removed `ward`: the agreement in force no longer declares `ward`.
        DatasetSchemaField[] stored = [.. definition.Fields.Where(f => f.Name.Value != "bmi").Select(f => new DatasetSchemaField(f.Name, f.Type)), new(new FieldName("ward"), FieldType.String)];
        var obligations = new Obligations([new FieldRule(new FieldName("name"), FieldRuleKind.Mask, "2"), new FieldRule(new FieldName("bmi"), FieldRuleKind.Drop, null)], false, null, null, null, null, null);

        Assert.True(EgressPlan.TryCompileForStoredSchema(agreement, definition.Id, stored, new PartyId("lab"), new PurposeId("research"), obligations, new byte[32], out var plan, out var diagnostics));
        using (plan)
        {
            Assert.Empty(diagnostics);
            Assert.True(plan.Matches(stored));
            Assert.Equal(definition.Fields.Select(f => f.Name).Where(n => n.Value != "bmi"), plan.Columns.Select(c => c.Name));
            Assert.Equal(FieldRuleKind.Mask, plan.Columns.Single(c => c.Name.Value == "name").Kind);
        }
    }

    [Fact]
    public void TryCompileForStoredSchema_FieldStoredWithAnotherType_FailsClosed()
    {
        var definition = SyntheticPatients.Definition();
        var agreement = new AgreementBuilder("patients-study").Purpose("research").Build() with { Datasets = [definition] };
        DatasetSchemaField[] stored = [.. definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Name.Value == "systolic_bp" ? FieldType.String : f.Type))];
        var obligations = new Obligations([], false, null, null, null, null, null);

        Assert.False(EgressPlan.TryCompileForStoredSchema(agreement, definition.Id, stored, new PartyId("lab"), new PurposeId("research"), obligations, new byte[32], out var plan, out var diagnostics));
        Assert.Null(plan);
        Assert.Equal("GW6267", Assert.Single(diagnostics).Code);
    }
}
