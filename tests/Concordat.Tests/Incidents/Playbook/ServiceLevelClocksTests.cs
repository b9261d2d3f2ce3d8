using Concordat.Agreements;
using Concordat.Incidents.Playbook;
using Concordat.Testing.Agreements;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class ServiceLevelClocksTests
{
    private static readonly DateTimeOffset s_detected = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_TwoAgreements_EachTermHasTheEarliestDeadlineFromDetectionAndWhoSetIt()
    {
        var strict = With("strict", new IncidentServiceLevels(TimeSpan.FromHours(1), TimeSpan.FromHours(4), null));
        var loose = With("loose", new IncidentServiceLevels(TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromDays(7)));

        var clocks = ServiceLevelClocks.Compute(IncidentTests.Open(), [loose, strict]);

        Assert.Equal(
            [("acknowledge", s_detected.AddHours(1), "strict"), ("contain", s_detected.AddHours(4), "loose,strict"), ("resolve", s_detected.AddDays(7), "loose")],
            clocks.Select(c => (c.Term, c.Due, string.Join(',', c.Agreements))));
        Assert.All(clocks, c => Assert.Null(c.MetAt));
    }

    [Fact]
    public void Compute_ActsDone_FirstActAcknowledgesSealContainsCloseResolves()
    {
        var agreement = With("a", new IncidentServiceLevels(TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(2)));
        var incident = IncidentTests.Open()
            .TryApply(new IncidentAct(IncidentActKind.Acknowledge, s_detected.AddMinutes(30), "alice"), out _)!
            .TryApply(new IncidentAct(IncidentActKind.Seal, s_detected.AddHours(5), "alice"), out _)!
            .TryApply(new IncidentAct(IncidentActKind.Close, s_detected.AddDays(1), "alice"), out _)!;

        var clocks = ServiceLevelClocks.Compute(incident, [agreement]);

        Assert.Equal([s_detected.AddMinutes(30), s_detected.AddHours(5), s_detected.AddDays(1)], clocks.Select(c => c.MetAt!.Value));
        Assert.Equal([false, true, false], clocks.Select(c => c.IsBreached(s_detected.AddDays(3))));
    }

    [Fact]
    public void Compute_PastAndNotMet_BreachedWithNegativeTimeLeft()
    {
        var agreement = With("a", new IncidentServiceLevels(TimeSpan.FromHours(1), null, null));

        var clock = Assert.Single(ServiceLevelClocks.Compute(IncidentTests.Open(), [agreement]));

        Assert.False(clock.IsBreached(s_detected.AddMinutes(59)));
        Assert.True(clock.IsBreached(s_detected.AddMinutes(61)));
        Assert.Equal(TimeSpan.FromMinutes(-1), clock.Remaining(s_detected.AddMinutes(61)));
    }

    [Fact]
    public void Compute_NoAgreementSetsServiceLevels_NoClock()
    {
        var agreement = new AgreementBuilder("a").Build();

        Assert.Empty(ServiceLevelClocks.Compute(IncidentTests.Open(), [agreement]));
    }

    private static Agreement With(string id, IncidentServiceLevels levels) =>
        new AgreementBuilder(id).Build() with { Incidents = new IncidentTerms([], null, null) { ServiceLevels = levels } };
}
