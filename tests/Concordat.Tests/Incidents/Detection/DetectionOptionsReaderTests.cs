using Concordat.Incidents.Detection;

namespace Concordat.Tests.Incidents.Detection;

public sealed class DetectionOptionsReaderTests
{
    [Fact]
    public void Read_SomeSettings_KeepsTheOtherDefaults()
    {
        var options = DetectionOptionsReader.Read("""{"spikeFactor": 6, "minimumRows": 500}""", out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(6, options!.SpikeFactor);
        Assert.Equal(500, options.MinimumRows);
        Assert.Equal(DetectionOptions.DefaultMinimumTokens, options.MinimumTokens);
    }

    [Fact]
    public void Read_BadSettings_ReportsEveryProblem()
    {
        var options = DetectionOptionsReader.Read("""{"spikeFactr": 6, "minimumDenyShare": 2, "warmupHours": "a day"}""", out var diagnostics);

        Assert.Null(options);
        Assert.Equal(["INC7002", "INC7003", "INC7003"], diagnostics.Select(d => d.Code));
        Assert.Equal("`detection.json`: `minimumDenyShare` is `2`: it must be a number from 0 to 1", diagnostics[1].Message);
    }

    [Fact]
    public void Read_WarmStartHours_ZeroTurnsTheWarmStartOffAndPastNinetyDaysIsRefused()
    {
        var off = DetectionOptionsReader.Read("""{"warmStartHours": 0}""", out var none);
        var tooLong = DetectionOptionsReader.Read("""{"warmStartHours": 2161}""", out var problems);

        Assert.Empty(none);
        Assert.Equal(0, off!.WarmStartHours);
        Assert.Equal(8 * 24, DetectionOptions.Default.WarmStartHours);
        Assert.Null(tooLong);
        Assert.Equal("INC7003", Assert.Single(problems).Code);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{")]
    public void Read_NotAnObject_ReportsInc7001(string json)
    {
        var options = DetectionOptionsReader.Read(json, out var diagnostics);

        Assert.Null(options);
        Assert.Equal("INC7001", Assert.Single(diagnostics).Code);
    }
}
