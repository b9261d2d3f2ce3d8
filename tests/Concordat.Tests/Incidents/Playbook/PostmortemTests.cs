using System.Text.Json;
using Concordat.Incidents.Playbook;
using Concordat.Log;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class PostmortemTests
{
    private static readonly DateTimeOffset s_at = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TimelineFrom_Entries_KeepsThoseNamingTheIncidentItsAlertsRecipientsOrDatasets()
    {
        var entries = new (long, LogEntry)[]
        {
            (3, Entry("gateway.egress/v1", """{"recipient":"other-lab","dataset":"other"}""")),
            (5, Entry("gateway.egress/v1", """{"recipient":"lab","dataset":"records","tokenId":"tok_1"}""")),
            (9, Entry("incidents.alert/v1", """{"kind":"bulk-download"}""")),
            (17, Entry("incidents.alert/v1", """{"kind":"bulk-download"}""")),
            (20, Entry("gateway.incident-act/v1", """{"incidentId":"inc_1","act":"seal","actor":"alice"}""")),
        };

        var timeline = Postmortem.TimelineFrom(IncidentTests.Open(), entries);

        Assert.Equal([5L, 17L, 20L], timeline.Select(t => t.Index));
        Assert.Equal("gateway.egress/v1 recipient=lab dataset=records tokenId=tok_1", timeline[0].What);
        Assert.Equal("gateway.incident-act/v1 act=seal actor=alice", timeline[2].What);
    }

    [Fact]
    public void WithoutPersonalData_PeopleAndAddresses_AreReplacedEverywhere()
    {
        var incident = IncidentTests.Open().TryApply(new IncidentAct(IncidentActKind.Remediate, s_at.AddHours(1), "bob", "rotated"), out _)!;
        var postmortem = new Postmortem(
            "inc_1",
            "alice found that bob (bob@example.org) left a token in a notebook",
            [new TimelineEvent(20, s_at, "gateway.incident-act/v1 act=remediate actor=bob")],
            ["tokens expire in 5 minutes; ask alice"],
            ["mail security@example.org within the hour"]);

        var exported = postmortem.WithoutPersonalData(incident);

        Assert.Equal("responder-1 found that responder-2 ([e-mail removed]) left a token in a notebook", exported.RootCause);
        Assert.Equal("gateway.incident-act/v1 act=remediate actor=responder-2", exported.Timeline[0].What);
        Assert.Equal(["tokens expire in 5 minutes; ask responder-1"], exported.Fixes);
        Assert.Equal(["mail [e-mail removed] within the hour"], exported.PolicyChanges);
    }

    private static LogEntry Entry(string type, string body) => LogEntry.Create(type, s_at, JsonDocument.Parse(body).RootElement.Clone());
}
