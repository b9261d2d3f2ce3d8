using Concordat.Agreements;

namespace Concordat.Tests.Agreements.Reading;

public sealed class AutoSealAlertsTests
{
    private static readonly string s_sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml"));

    [Fact]
    public void Read_SampleAlertNames_AreInTheVocabulary()
    {
        var result = AgreementReader.Read(s_sample, "hospital-research.yaml");

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "AGR2040");
    }

    [Fact]
    public void Read_DiligenceExpired_IsInTheVocabulary()
    {
        var text = s_sample.Replace("autoSealAlerts: [bulk-download, reidentification-attempt]", "autoSealAlerts: [bulk-download, diligence-expired]", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "a.yaml");

        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "AGR2040");
    }

    [Fact]
    public void Read_UnknownAlertName_ReportsAgr2040AtTheList()
    {
        var text = s_sample.Replace("autoSealAlerts: [bulk-download, reidentification-attempt]", "autoSealAlerts: [bulk-download, bulk-dowload]", StringComparison.Ordinal);
        var line = text[..text.IndexOf("bulk-dowload", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var result = AgreementReader.Read(text, "a.yaml");

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == "AGR2040");
        Assert.True(diagnostic.IsError);
        Assert.Equal("alert `bulk-dowload` is not in the alert vocabulary", diagnostic.Message);
        Assert.Equal(line, diagnostic.Span?.Line);
        Assert.Equal(19, diagnostic.Span?.Column);
    }
}
