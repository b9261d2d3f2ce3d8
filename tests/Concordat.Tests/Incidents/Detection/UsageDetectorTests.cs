using Concordat.Incidents.Detection;
using Concordat.Log;
using Concordat.Testing.Incidents;

namespace Concordat.Tests.Incidents.Detection;

public sealed class UsageDetectorTests
{
    // Wednesday of the second week, 11:00 UTC: working hours, long after the warm-up.
    private static readonly DateTimeOffset s_wednesday = SyntheticTraffic.Start.AddDays(9).AddHours(11);

    // Invariant: made once: canonicalising two weeks of entries is most of these tests' time.
    private static readonly Lazy<IReadOnlyList<LogEntry>> s_normal = new(() => new SyntheticTraffic(7).NormalWeeks(2).Entries());

    [Fact]
    public void Observe_TwoNormalWeeks_RaisesNoAlert()
    {
        var entries = s_normal.Value;

        var alerts = Run(entries);

        Assert.Empty(alerts);
    }

    [Fact]
    public void Observe_NormalWeekOfAnotherSeed_RaisesNoAlert()
    {
        var entries = new SyntheticTraffic(1).NormalWeeks(1).Entries();

        var alerts = Run(entries);

        Assert.Empty(alerts);
    }

    [Theory]
    [InlineData(AlertKind.VolumeSpike)]
    [InlineData(AlertKind.RequestRateSpike)]
    [InlineData(AlertKind.DenyRateSpike)]
    [InlineData(AlertKind.OffHoursAccess)]
    [InlineData(AlertKind.NewJurisdiction)]
    [InlineData(AlertKind.NewSubprocessor)]
    [InlineData(AlertKind.DatasetSweep)]
    [InlineData(AlertKind.TokenBurst)]
    public void Observe_AnomalyInSecondWeek_RaisesItsAlertOnly(AlertKind kind)
    {
        var alerts = Run(WithAnomaly(kind));

        var alert = Assert.Single(alerts);
        Assert.Equal(kind, alert.Kind);
        Assert.Equal(SyntheticTraffic.Recipient(1), alert.Recipient.Value);
        Assert.True(alert.FirstAnomalousAt <= alert.At);
    }

    [Fact]
    public void Observe_VolumeSpike_NamesTheIdentityFromItsToken()
    {
        var alert = Assert.Single(Run(WithAnomaly(AlertKind.VolumeSpike)));

        Assert.Equal(SyntheticTraffic.Identity(1, 0), alert.ClientId?.Value);
        Assert.Equal("rows", alert.Subject);
        Assert.Equal("volume-spike", alert.Name);
    }

    [Fact]
    public void Observe_ManyEntries_KeepsOneStatePerRecipientAndIdentity()
    {
        var detector = new UsageDetector();

        foreach (var entry in s_normal.Value)
        {
            detector.Observe(entry, new List<Alert>());
        }

        Assert.Equal(2, detector.RecipientCount);
        Assert.Equal(6, detector.IdentityCount);
    }

    [Fact]
    public void Observe_FirstDay_StaysSilentWhileLearning()
    {
        var traffic = new SyntheticTraffic(7).Read(1, 0, SyntheticTraffic.Start.AddHours(9), 500_000).Read(1, 0, SyntheticTraffic.Start.AddHours(9).AddMinutes(1), 10, jurisdiction: "US");

        Assert.Empty(Run(traffic.Entries()));
    }

    private static IReadOnlyList<LogEntry> WithAnomaly(AlertKind kind)
    {
        var traffic = new SyntheticTraffic(8);
        var at = s_wednesday;
        _ = kind switch
        {
            AlertKind.VolumeSpike => traffic.Read(1, 0, at, 200_000),
            AlertKind.RequestRateSpike => traffic.Requests(1, 0, at, 600, TimeSpan.FromSeconds(5)),
            AlertKind.DenyRateSpike => traffic.Requests(1, 0, at, 30, TimeSpan.FromSeconds(20), deny: true),
            AlertKind.OffHoursAccess => traffic.Read(1, 0, at.Date.AddHours(3).AddMinutes(10), 300),
            AlertKind.NewJurisdiction => traffic.Read(1, 0, at, 300, jurisdiction: "US"),
            AlertKind.NewSubprocessor => traffic.Read(1, 0, at, 300, subprocessor: "cheap-cloud"),
            AlertKind.DatasetSweep => traffic.Requests(1, 0, at, 10, TimeSpan.FromSeconds(30), dataset: n => $"other-{n}"),
            AlertKind.TokenBurst => traffic.Tokens(1, 0, at, 100, TimeSpan.FromSeconds(6)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return SyntheticTraffic.Merge(s_normal.Value, traffic.Entries());
    }

    private static List<Alert> Run(IEnumerable<LogEntry> entries)
    {
        var detector = new UsageDetector();
        var alerts = new List<Alert>();
        foreach (var entry in entries)
        {
            detector.Observe(entry, alerts);
        }

        return alerts;
    }
}
