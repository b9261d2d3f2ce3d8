using Concordat.Agreements;
using Concordat.Incidents.Playbook;
using Concordat.Testing.Agreements;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class IncidentTests
{
    private static readonly DateTimeOffset s_detected = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryApply_ActsInOrder_AreKeptAndCloseEndsTheIncident()
    {
        var incident = Open();

        incident = incident.TryApply(new IncidentAct(IncidentActKind.Seal, s_detected.AddMinutes(5), "alice", "lab"), out _)!;
        incident = incident.TryApply(new IncidentAct(IncidentActKind.Close, s_detected.AddDays(3), "alice"), out _)!;
        var late = incident.TryApply(new IncidentAct(IncidentActKind.Remediate, s_detected.AddDays(4), "bob", "rotate keys"), out var error);

        Assert.Equal([IncidentActKind.Seal, IncidentActKind.Close], incident.Acts.Select(a => a.Kind));
        Assert.False(incident.IsOpen);
        Assert.Null(late);
        Assert.Equal("incident `inc_1` is closed: open another", error);
    }

    [Theory]
    [InlineData(IncidentActKind.Notify, 0, "a notification names whom it was given to")]
    [InlineData(IncidentActKind.Remediate, -1, "the act is dated before incident `inc_1` was opened")]
    public void TryApply_ActThatCannotBe_SaysWhy(IncidentActKind kind, int minutes, string expected)
    {
        var applied = Open().TryApply(new IncidentAct(kind, s_detected.AddMinutes(10 + minutes * 20), "alice"), out var error);

        Assert.Null(applied);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Notifications_OneGivenOneLate_GivenIsDoneAndTheOtherOverdue()
    {
        var agreement = new AgreementBuilder("a").Party("clinic", "DE", PartyRole.Provider).Build() with { BreachNotificationHours = 24 };
        var clocks = NotificationClocks.Compute(s_detected, [agreement]);
        var incident = Open().TryApply(new IncidentAct(IncidentActKind.Notify, s_detected.AddHours(20), "alice", null, "party:clinic"), out _)!;

        var states = incident.Notifications(clocks, s_detected.AddHours(80));

        Assert.Equal([("party:clinic", false), ("authority:DE", true)], states.Select(s => (s.Clock.Whom, s.IsOverdue)));
        Assert.Equal(s_detected.AddHours(20), states[0].GivenAt);
    }

    [Fact]
    public void Concerns_OnlyTheAffectedRecipients()
    {
        var incident = Open();

        Assert.True(incident.Concerns("lab"));
        Assert.False(incident.Concerns("other-lab"));
    }

    internal static Incident Open() =>
        new("inc_1", IncidentSeverity.High, "bulk download", "alice", s_detected, s_detected.AddMinutes(1), ["a"], ["lab"], ["records"], ["17"]);
}
