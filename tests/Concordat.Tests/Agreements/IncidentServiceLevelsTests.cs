using Concordat.Agreements;

namespace Concordat.Tests.Agreements;

/// <summary>The agreement language's <c>incidents.serviceLevels</c>: read as durations, and held to their order.</summary>
public sealed class IncidentServiceLevelsTests
{
    [Fact]
    public void Read_ServiceLevels_BindsEachTermAsADuration()
    {
        var result = Read("{ acknowledge: PT1H, contain: PT4H, resolve: P7D }");

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var levels = result.Agreement!.Incidents!.ServiceLevels!;
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(7)), (levels.Acknowledge!.Value, levels.Contain!.Value, levels.Resolve!.Value));
    }

    [Fact]
    public void Read_ContainShorterThanAcknowledge_ReportsAGR3560AtContain()
    {
        var result = Read("{ acknowledge: PT4H, contain: PT1H }");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("AGR3560", diagnostic.Code);
        Assert.Equal(("demo.yaml", 29, 48), (diagnostic.Span!.File, diagnostic.Span.Line, diagnostic.Span.Column));
        Assert.Null(result.Agreement);
    }

    [Fact]
    public void Read_ResolveShorterThanAcknowledgeWithoutContain_ReportsAGR3560()
    {
        var result = Read("{ acknowledge: P2D, resolve: P1D }");

        Assert.Equal("AGR3560", Assert.Single(result.Diagnostics, d => d.IsError).Code);
    }

    [Theory]
    [InlineData("{}", "AGR3561")]
    [InlineData("{ acknowledge: PT0H }", "AGR2004")]
    [InlineData("{ acknowledge: soon }", "AGR2004")]
    [InlineData("{ respond: PT1H }", "AGR2001")]
    public void Read_BadServiceLevels_OneErrorWithItsCode(string levels, string code)
    {
        var result = Read(levels);

        Assert.Equal(code, Assert.Single(result.Diagnostics, d => d.IsError).Code);
        Assert.Null(result.Agreement);
    }

    private static AgreementReadResult Read(string levels) =>
        AgreementReader.Read(AgreementReaderTests.Minimal + $"\nincidents:\n  serviceLevels: {levels}\n", "demo.yaml");
}
