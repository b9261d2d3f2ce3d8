using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Tests.Agreements;

/// <summary>Data roles per purpose held against the grants (AGR302x), on the hospital sample with roles added.</summary>
public sealed class AgreementLintTests
{
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples", "agreements");

    public static TheoryData<string> Samples() => [.. Directory.GetFiles(s_samples, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Lint_Sample_HasNoWarnings(string fileName)
    {
        var read = AgreementReader.Read(File.ReadAllText(Path.Combine(s_samples, fileName)), fileName);

        var warnings = AgreementLint.Lint(read);

        Assert.Empty(warnings);
    }

    [Fact]
    public void Lint_ControllerAndProcessorForEachGrantedPurpose_HasNoWarnings()
    {
        var read = Hospital("{ research: controller, evaluation: controller }", "{ research: processor, evaluation: processor }");

        var warnings = AgreementLint.Lint(read);

        Assert.Empty(warnings);
    }

    [Fact]
    public void Lint_ProcessorWithoutController_WarnsThatTheProcessorDecidesNamingTheGrant()
    {
        var read = Hospital("{ evaluation: controller }", "{ research: processor, evaluation: processor }");

        var warning = Assert.Single(AgreementLint.Lint(read));

        Assert.Equal("AGR3020", warning.Diagnostic.Code);
        Assert.Equal(new ClauseId("research-rows"), warning.Clause);
        Assert.StartsWith("clause `research-rows`: party `northwind-research` is only the processor for purpose `research`", warning.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_RoleWarnings_PointAtThePurposeInTheGrantAndAtThePartysDataRoles()
    {
        var text = Text("{ research: controller, evaluation: controller }", "{ research: controller, evaluation: processor }");
        var lines = text.Split('\n');
        var grantLine = Array.FindIndex(lines, l => l == "    purposes: [research]") + 1;
        var rolesLine = Array.FindIndex(lines, l => l == "    dataRoles: { research: controller, evaluation: processor }") + 1;

        var warnings = AgreementLint.Lint(AgreementReader.Read(text, "hospital-research.yaml"));

        var several = Assert.Single(warnings, w => w.Diagnostic.Code == "AGR3024");
        Assert.Equal(("hospital-research.yaml", grantLine, "    purposes: [".Length + 1), (several.Diagnostic.Span!.File, several.Diagnostic.Span.Line, several.Diagnostic.Span.Column));
        var contradiction = Assert.Single(warnings, w => w.Diagnostic.Code == "AGR3025");
        Assert.Equal((rolesLine, "    dataRoles: { ".Length + 1), (contradiction.Diagnostic.Span!.Line, contradiction.Diagnostic.Span.Column));
    }

    [Fact]
    public void Read_RoleWarnings_AreAmongTheDiagnosticsOfReading()
    {
        var read = Hospital("{ evaluation: controller }", "{ research: processor, evaluation: processor }");

        var warning = Assert.Single(read.Diagnostics);

        Assert.Equal(("AGR3020", DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.NotNull(read.Agreement);
    }

    [Fact]
    public void Lint_RoleOfABroaderPurpose_CoversTheNarrowerOne()
    {
        var read = Hospital("{ research: controller }", "{ research: processor }");

        var warnings = AgreementLint.Lint(read);

        Assert.False(read.HasErrors, string.Join('\n', read.Diagnostics));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Lint_OneJointController_WarnsLoneJointController()
    {
        var read = Hospital("{ research: joint-controller, evaluation: controller }", "{ research: processor, evaluation: processor }");

        var warning = Assert.Single(AgreementLint.Lint(read));

        Assert.Equal("AGR3023", warning.Diagnostic.Code);
        Assert.Equal(new ClauseId("research-rows"), warning.Clause);
    }

    [Fact]
    public void Lint_ProcessorPartyControllingAPurpose_WarnsTheContradictionAtTheRolesAndSeveralControllersAtTheGrant()
    {
        var read = Hospital("{ research: controller, evaluation: controller }", "{ research: controller, evaluation: processor }");

        var codes = AgreementLint.Lint(read).Select(w => (w.Diagnostic.Code, w.Clause?.Value)).ToList();

        Assert.Equal([("AGR3025", "research-rows"), ("AGR3024", "research-rows")], codes);
    }

    [Fact]
    public void Lint_GranteeWithoutRoles_WarnsForEachGrantAndEachPurposeWithNoControllerInSourceOrder()
    {
        var read = Hospital("{ model-training: controller }", null);

        var codes = AgreementLint.Lint(read).Select(w => (w.Diagnostic.Code, w.Clause?.Value)).ToList();

        Assert.Equal([("AGR3021", "research-rows"), ("AGR3022", "research-rows"), ("AGR3021", "cohort-statistics"), ("AGR3022", "cohort-statistics")], codes);
    }

    [Fact]
    public void Read_DataRoleForAnUndefinedPurposeOrAnUnknownRole_IsAnError()
    {
        var read = Hospital("{ advertising: controller }", "{ research: decider }");

        Assert.Null(read.Agreement);
        Assert.Contains(read.Diagnostics, d => d.Code == "AGR2009" && d.Message.Contains("`advertising`", StringComparison.Ordinal));
        Assert.Contains(read.Diagnostics, d => d.Code == "AGR2004" && d.Message.Contains("`decider`", StringComparison.Ordinal));
    }

    [Fact]
    public void Digest_AgreementWithoutDataRoles_IsUnchangedAndDataRolesChangeIt()
    {
        var plain = AgreementReader.Read(File.ReadAllText(Path.Combine(s_samples, "hospital-research.yaml")), "hospital-research.yaml").Agreement!;
        var withRoles = Hospital("{ research: controller, evaluation: controller }", "{ research: processor, evaluation: processor }").Agreement!;

        Assert.DoesNotContain("dataRoles", System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(plain)), StringComparison.Ordinal);
        Assert.NotEqual(AgreementDigest.Compute(plain), AgreementDigest.Compute(withRoles));
    }

    private static AgreementReadResult Hospital(string? provider, string? recipient) =>
        AgreementReader.Read(Text(provider, recipient), "hospital-research.yaml");

    // The hospital sample with `dataRoles` added to the provider (st-aurelia) and the recipient (northwind-research).
    private static string Text(string? provider, string? recipient)
    {
        var text = File.ReadAllText(Path.Combine(s_samples, "hospital-research.yaml"));
        if (provider is not null)
        {
            text = text.Replace("    breachContact: dpo@st-aurelia.example\n", $"    breachContact: dpo@st-aurelia.example\n    dataRoles: {provider}\n", StringComparison.Ordinal);
        }

        if (recipient is not null)
        {
            text = text.Replace("    breachContact: security@northwind.example\n", $"    breachContact: security@northwind.example\n    dataRoles: {recipient}\n", StringComparison.Ordinal);
        }

        return text;
    }
}
