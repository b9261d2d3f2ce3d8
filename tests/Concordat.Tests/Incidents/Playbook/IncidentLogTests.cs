using System.Text.Json;
using Concordat.Incidents.Playbook;
using Concordat.Log;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class IncidentLogTests
{
    private static readonly DateTimeOffset s_at = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_OpenedThenActs_FoldsTheIncidentInLogOrder()
    {
        var incidents = new Dictionary<string, Incident>();

        IncidentLog.Apply(incidents, Entry(0, IncidentLog.OpenedType, """{"incidentId":"inc_1","severity":"high","suspected":"bulk download","triageOwner":"alice","detectedAt":"2026-06-01T11:30:00Z","agreements":["acme"],"recipients":["lab"],"datasets":["records"],"alerts":[7],"actor":"operator"}"""));
        IncidentLog.Apply(incidents, Entry(10, IncidentLog.ActType, """{"incidentId":"inc_1","act":"notify","actor":"alice","whom":"authority:DE","givenAt":"2026-06-01T12:05:00Z"}"""));
        var closed = IncidentLog.Apply(incidents, Entry(20, IncidentLog.ActType, """{"incidentId":"inc_1","act":"close","actor":"alice","rootCause":"a leaked secret"}"""));

        var incident = incidents["inc_1"];
        Assert.Equal("inc_1", closed);
        Assert.Equal(IncidentSeverity.High, incident.Severity);
        Assert.Equal(s_at.AddMinutes(-30), incident.DetectedAt);
        Assert.Equal(["7"], incident.Alerts);
        Assert.Equal([IncidentActKind.Notify, IncidentActKind.Close], incident.Acts.Select(a => a.Kind));
        Assert.Equal(s_at.AddMinutes(5), incident.Acts[0].At);
        Assert.False(incident.IsOpen);
    }

    [Fact]
    public void Apply_ActOnUnknownOrClosedIncident_IsIgnored()
    {
        var incidents = new Dictionary<string, Incident>();

        var unknown = IncidentLog.Apply(incidents, Entry(0, IncidentLog.ActType, """{"incidentId":"inc_9","act":"seal","actor":"alice"}"""));
        var other = IncidentLog.Apply(incidents, Entry(0, "gateway.seal/v1", """{"recipient":"lab","incidentId":"inc_9"}"""));

        Assert.Null(unknown);
        Assert.Null(other);
        Assert.Empty(incidents);
    }

    [Fact]
    public void IsDrill_OpenedWithDrillTrue_IsADrill()
    {
        Assert.True(IncidentLog.IsDrill(Entry(0, IncidentLog.OpenedType, """{"incidentId":"inc_1","drill":true}""")));
        Assert.False(IncidentLog.IsDrill(Entry(0, IncidentLog.OpenedType, """{"incidentId":"inc_1"}""")));
    }

    private static LogEntry Entry(int minutes, string type, string body) => LogEntry.Create(type, s_at.AddMinutes(minutes), JsonDocument.Parse(body).RootElement.Clone());
}
