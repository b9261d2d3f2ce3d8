using Concordat.Agreements;
using Concordat.Incidents.Playbook;
using Concordat.Testing.Agreements;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class NotificationClocksTests
{
    [Fact]
    public void Compute_GermanPartyDetectedBeforeSpringForward_Gdpr72HoursElapsedShownInSummerTime()
    {
        var agreement = With(new AgreementBuilder("a").Party("clinic", "DE", PartyRole.Provider), ("clinic", "Europe/Berlin"));
        var detected = new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [agreement]));

        Assert.Equal(("authority:DE", "gdpr-art33", "Europe/Berlin"), (clock.Whom, clock.Rule, clock.TimeZone));
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero), clock.Due);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 30, 0, TimeSpan.FromHours(2)), clock.DueLocal);
    }

    [Fact]
    public void Compute_GermanPartyDetectedBeforeAutumnBack_Gdpr72HoursElapsedShownInWinterTime()
    {
        var agreement = With(new AgreementBuilder("a").Party("clinic", "DE", PartyRole.Provider), ("clinic", "Europe/Berlin"));
        var detected = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [agreement]));

        Assert.Equal(new DateTimeOffset(2026, 10, 27, 22, 0, 0, TimeSpan.Zero), clock.Due);
        Assert.Equal(new DateTimeOffset(2026, 10, 27, 23, 0, 0, TimeSpan.FromHours(1)), clock.DueLocal);
    }

    [Fact]
    public void Compute_AgreementClockShorterThanTheLaw_EachWhomHasItsFirstDeadline()
    {
        var agreement = With(new AgreementBuilder("a").Party("clinic", "NL", PartyRole.Provider).Party("lab", "GB"), ("clinic", "Europe/Amsterdam")) with { BreachNotificationHours = 24 };
        var detected = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        var clocks = NotificationClocks.Compute(detected, [agreement]);

        Assert.Equal(["party:clinic", "authority:GB", "authority:NL"], clocks.Select(c => c.Whom));
        Assert.Equal(detected.AddHours(24), clocks[0].Due);
        Assert.Equal("agreement", clocks[0].Rule);
        Assert.Equal(("uk-gdpr-art33", "UTC"), (clocks[1].Rule, clocks[1].TimeZone));
        Assert.Equal(detected.AddHours(72), clocks[2].Due);
    }

    [Fact]
    public void Compute_TwoAgreementsOweTheSameParty_TheFirstDeadlineWinsAndBothAreNamed()
    {
        var slow = new AgreementBuilder("slow").Party("clinic", "CH", PartyRole.Provider).Build() with { BreachNotificationHours = 96 };
        var fast = new AgreementBuilder("fast").Party("clinic", "CH", PartyRole.Provider).Build() with { BreachNotificationHours = 12 };
        var detected = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [slow, fast]));

        Assert.Equal(detected.AddHours(12), clock.Due);
        Assert.Equal(["agreement"], clock.Rules);
        Assert.Equal(["fast", "slow"], clock.Agreements);
    }

    [Fact]
    public void Compute_UsHealthPartyAcrossSpringForward_Hipaa60CalendarDaysInItsZone()
    {
        var agreement = Health(With(new AgreementBuilder("a").Party("hospital", "US-CA", PartyRole.Provider), ("hospital", "America/Los_Angeles")));
        var detected = new DateTimeOffset(2026, 3, 1, 18, 0, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [agreement]));

        Assert.Equal(("authority:US-HHS", "hipaa-breach"), (clock.Whom, clock.Rule));
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 10, 0, 0, TimeSpan.FromHours(-7)), clock.DueLocal);
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 17, 0, 0, TimeSpan.Zero), clock.Due);
    }

    [Fact]
    public void Compute_Hipaa60DaysLandInTheRepeatedAutumnHour_TheFirstOccurrence()
    {
        var agreement = Health(With(new AgreementBuilder("a").Party("hospital", "US", PartyRole.Provider), ("hospital", "America/New_York")));
        var detected = new DateTimeOffset(2026, 9, 2, 5, 30, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [agreement]));

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), clock.Due);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 1, 30, 0, TimeSpan.FromHours(-4)), clock.DueLocal);
    }

    [Fact]
    public void Compute_Hipaa60DaysLandInTheSkippedSpringHour_ReadWithTheOffsetBefore()
    {
        var agreement = Health(With(new AgreementBuilder("a").Party("hospital", "US", PartyRole.Provider), ("hospital", "America/New_York")));
        var detected = new DateTimeOffset(2026, 1, 7, 7, 30, 0, TimeSpan.Zero);

        var clock = Assert.Single(NotificationClocks.Compute(detected, [agreement]));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), clock.Due);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4)), clock.DueLocal);
    }

    [Fact]
    public void Compute_UsPartyOutsideTheHealthSector_NoLawClock()
    {
        var agreement = new AgreementBuilder("a").Party("lab", "US-DE", PartyRole.Provider).Build();

        Assert.Empty(NotificationClocks.Compute(DateTimeOffset.UnixEpoch, [agreement]));
    }

    [Fact]
    public void ZoneOf_UnknownZoneName_IsUtc()
    {
        var party = new Party(new PartyId("p"), "p", new Jurisdiction("DE"), [PartyRole.Provider], [], null) { Attributes = [new(NotificationClocks.TimeZoneAttribute, ["Mars/Olympus_Mons"])] };

        Assert.Equal(TimeZoneInfo.Utc, NotificationClocks.ZoneOf(party));
    }

    [Fact]
    public void Remaining_AfterTheDeadline_IsNegative()
    {
        var agreement = new AgreementBuilder("a").Party("clinic", "FR", PartyRole.Provider).Build();
        var clock = Assert.Single(NotificationClocks.Compute(DateTimeOffset.UnixEpoch, [agreement]));

        Assert.Equal(TimeSpan.FromHours(-1), clock.Remaining(DateTimeOffset.UnixEpoch.AddHours(73)));
    }

    private static Agreement With(AgreementBuilder builder, (string Party, string Zone) zone)
    {
        var agreement = builder.Build();
        return agreement with
        {
            Parties = [.. agreement.Parties.Select(p => p.Id.Value == zone.Party ? p with { Attributes = [new(NotificationClocks.TimeZoneAttribute, [zone.Zone])] } : p)],
        };
    }

    private static Agreement Health(Agreement agreement) => agreement with { Compliance = new ComplianceScope([], ["healthcare"]) };
}
