using System.Text.Json;
using Concordat.Agreements;
using Concordat.Incidents.Kpi;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Incidents.Kpi;

public sealed class IncidentKpisTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 6, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_AlertSealedAfterEgress_MeasuresDetectContainAndRowsBeforeContainment()
    {
        var report = IncidentKpis.Compute(Numbered(
            At(0, "gateway.decision/v1", """{"recipient":"lab","agreement":"acme","effect":"permit","dataset":"d"}"""),
            At(1, "gateway.egress/v1", """{"recipient":"lab","rows":100,"bytesWritten":1000}"""),
            At(5, "gateway.egress/v1", """{"recipient":"lab","rows":5000,"bytesWritten":50000}"""),
            At(6, "gateway.alert/v1", $$"""{"alert":"volume-spike","recipient":"lab","firstAnomalousAt":"{{Time(5)}}"}"""),
            At(7, "gateway.egress/v1", """{"recipient":"lab","rows":7,"bytesWritten":70}"""),
            At(8, "gateway.seal/v1", """{"recipient":"lab","reason":"auto","alert":3}"""),
            At(8, "gateway.egress/v1", """{"recipient":"lab","rows":3,"bytesWritten":30,"stoppedBy":"seal"}"""),
            At(9, "gateway.egress/v1", """{"recipient":"lab","rows":999,"bytesWritten":9990}""")));

        Assert.Equal(1, report.Alerts);
        Assert.Equal(new KpiDurations(1, 60, 60), report.TimeToDetect);
        Assert.Equal(new KpiDurations(1, 120, 120), report.TimeToContain);
        Assert.Equal(0, report.Uncontained);
        Assert.Equal(1, report.DataExposureEvents);
        Assert.Equal(5010, report.RowsBeforeContainment);
        Assert.Equal(50100, report.BytesBeforeContainment);
    }

    [Fact]
    public void Compute_TwoAlertsOfOneRecipientBeforeItsSeal_CountTheRowsOnceAsOneExposure()
    {
        var report = IncidentKpis.Compute(Numbered(
            At(1, "gateway.alert/v1", $$"""{"alert":"new-jurisdiction","recipient":"lab","firstAnomalousAt":"{{Time(1)}}"}"""),
            At(5, "gateway.egress/v1", """{"recipient":"lab","rows":5000,"bytesWritten":50000}"""),
            At(6, "gateway.alert/v1", $$"""{"alert":"volume-spike","recipient":"lab","firstAnomalousAt":"{{Time(5)}}"}"""),
            At(7, "gateway.egress/v1", """{"recipient":"lab","rows":7,"bytesWritten":70}"""),
            At(8, "gateway.seal/v1", """{"recipient":"lab","reason":"auto"}""")));

        Assert.Equal(2, report.TimeToContain.Count);
        Assert.Equal(1, report.DataExposureEvents);
        Assert.Equal(5007, report.RowsBeforeContainment);
    }

    [Fact]
    public void Compute_DiligenceExpiredWithEgressAfter_CountsTheAlertAndItsDetectionButNoExposureOrContainment()
    {
        var report = IncidentKpis.Compute(Numbered(
            At(30, "gateway.alert/v1", $$"""{"alert":"diligence-expired","recipient":"lab","firstAnomalousAt":"{{Time(0)}}","subject":"sha256:00"}"""),
            At(31, "gateway.egress/v1", """{"recipient":"lab","rows":5000,"bytesWritten":50000}"""),
            At(40, "gateway.seal/v1", """{"recipient":"lab","reason":"operator"}""")));

        Assert.Equal(1, report.Alerts);
        Assert.Equal(new KpiDurations(1, 1800, 1800), report.TimeToDetect);
        Assert.Equal(0, report.TimeToContain.Count);
        Assert.Equal(0, report.Uncontained);
        Assert.Equal(0, report.DataExposureEvents);
        Assert.Equal(0, report.RowsBeforeContainment);
    }

    [Fact]
    public void Compute_DeletionAttestationOverdueWithEgressAfter_CountsTheAlertAndItsDetectionButNoExposureOrContainment()
    {
        var report = IncidentKpis.Compute(Numbered(
            At(30, "gateway.alert/v1", $$"""{"alert":"deletion-attestation-overdue","recipient":"lab","firstAnomalousAt":"{{Time(10)}}","subject":"dec_1"}"""),
            At(31, "gateway.egress/v1", """{"recipient":"lab","rows":5000,"bytesWritten":50000}"""),
            At(35, "gateway.alert/v1", $$"""{"alert":"volume-spike","recipient":"lab","firstAnomalousAt":"{{Time(34)}}"}"""),
            At(36, "gateway.egress/v1", """{"recipient":"lab","rows":7,"bytesWritten":70}"""),
            At(40, "gateway.seal/v1", """{"recipient":"lab","reason":"operator"}""")));

        Assert.Equal(2, report.Alerts);
        Assert.Equal(new KpiDurations(2, 630, 1200), report.TimeToDetect);
        Assert.Equal(1, report.TimeToContain.Count);
        Assert.Equal(0, report.Uncontained);
        Assert.Equal(1, report.DataExposureEvents);
        Assert.Equal(7, report.RowsBeforeContainment);
    }

    [Fact]
    public void Compute_IncidentNotifiedAndADrill_CountsTheRealOneAndItsTimeToNotify()
    {
        var report = IncidentKpis.Compute(Numbered(
            At(0, "gateway.incident-opened/v1", $$"""{"incidentId":"inc_1","severity":"high","suspected":"s","triageOwner":"alice","detectedAt":"{{Time(0)}}","agreements":["acme"],"recipients":["lab"],"datasets":[],"alerts":[],"actor":"operator"}"""),
            At(1, "gateway.incident-opened/v1", $$"""{"incidentId":"inc_2","severity":"low","suspected":"s","triageOwner":"bob","detectedAt":"{{Time(1)}}","agreements":["acme"],"recipients":["lab"],"datasets":[],"alerts":[],"actor":"operator","drill":true}"""),
            At(90, "gateway.incident-act/v1", $$"""{"incidentId":"inc_1","act":"notify","actor":"alice","whom":"authority:DE","givenAt":"{{Time(30)}}"}"""),
            At(95, "gateway.incident-act/v1", """{"incidentId":"inc_2","act":"notify","actor":"bob","whom":"authority:DE"}""")));

        Assert.Equal(1, report.Incidents);
        Assert.Equal(1, report.Drills);
        Assert.Equal(new KpiDurations(1, 1800, 1800), report.TimeToNotify);
    }

    [Fact]
    public void Compute_AgreementAndPeriod_KeepOnlyTheirAlerts()
    {
        var entries = Numbered(
            At(0, "gateway.decision/v1", """{"recipient":"lab","agreement":"acme","effect":"permit","dataset":"d"}"""),
            At(0, "gateway.decision/v1", """{"recipient":"other","agreement":"globex","effect":"permit","dataset":"d"}"""),
            At(10, "gateway.alert/v1", """{"alert":"token-burst","recipient":"lab"}"""),
            At(20, "gateway.alert/v1", """{"alert":"token-burst","recipient":"other"}"""),
            At(70, "gateway.alert/v1", """{"alert":"token-burst","recipient":"lab"}"""));

        Assert.Equal(2, IncidentKpis.Compute(entries, agreement: "acme").Alerts);
        Assert.Equal(2, IncidentKpis.Compute(entries, from: s_t0.AddMinutes(15)).Alerts);
        Assert.Equal(1, IncidentKpis.Compute(entries, agreement: "acme", to: s_t0.AddMinutes(60)).Alerts);
        Assert.Equal(3, IncidentKpis.Compute(entries).Uncontained);
    }

    [Fact]
    public void Compute_AggregateQueries_AddsTheirRhoExactlyForTheAgreementAndPeriod()
    {
        var entries = Numbered(
            Spend(0, "acme", 1, 2),
            Spend(10, "acme", 1, 4),
            Spend(20, "globex", 1, 1),
            Spend(70, "acme", 1, 1),
            At(71, "gateway.aggregate-query/v1", """{"recipient":"lab","agreement":"acme"}"""));

        var all = IncidentKpis.Compute(entries);
        var acme = IncidentKpis.Compute(entries, agreement: "acme", to: s_t0.AddMinutes(60));

        Assert.Equal(4, all.AggregateQueries);
        Assert.Equal(Sum(entries.Take(4)), all.RhoSpent);
        Assert.Equal(2, acme.AggregateQueries);
        Assert.Equal(Sum(entries.Take(2)), acme.RhoSpent);
        Assert.Equal("0", IncidentKpis.Compute([]).RhoSpent);
    }

    [Fact]
    public void Compute_NoEntries_MeasuresNothing()
    {
        var report = IncidentKpis.Compute([]);

        Assert.Equal(new KpiDurations(0, null, null), report.TimeToDetect);
        Assert.Equal(0, report.Alerts);
    }

    private static string Time(int minutes) => s_t0.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static LogEntry At(int minutes, string type, string body) => LogEntry.Create(type, s_t0.AddMinutes(minutes), JsonDocument.Parse(body).RootElement.Clone());

    // A discrete Laplace release of scale n/d on a count: the accountant's own ρ for it, as the gateway logs it.
    private static LogEntry Spend(int minutes, string agreement, int n, int d)
    {
        var key = new BudgetKey(new PartyId("lab"), new AgreementId(agreement), new ClauseId("g1"));
        var release = new NoiseRelease(NoiseMechanism.DiscreteLaplace, new Rational(n, d), Rational.FromInteger(1));
        var status = new BudgetStatus(Rational.Zero, Rational.FromInteger(10), Rational.Zero, null);
        return PrivacySpendEntry.ToLogEntry(new PrivacySpend(key, s_t0.AddMinutes(minutes), "sha256:00", [release]), status);
    }

    private static string Sum(IEnumerable<(long, LogEntry Entry)> entries) =>
        entries.Aggregate(Rational.Zero, (sum, e) => PrivacySpendEntry.TryRead(e.Entry, out var spend) ? sum + spend.Rho : sum).ToString();

    private static List<(long, LogEntry)> Numbered(params LogEntry[] entries) => [.. entries.Select((e, i) => ((long)i, e))];
}
