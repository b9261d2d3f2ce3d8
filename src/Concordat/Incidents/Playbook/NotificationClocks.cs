using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Incidents.Playbook;

/// <summary>
/// The notification clocks of an incident, as a pure function of the time of detection and the affected agreements:
/// each agreement's own <c>breachNotificationHours</c> towards its providers and controllers, and the law of its
/// parties' jurisdictions and sectors towards their authorities, whichever is first for each of them.
/// </summary>
/// <remarks>
/// The rule table is documented in docs/design/incidents.md. An hour-based clock counts elapsed time, so it falls at
/// the same instant whatever the daylight-saving changes between; a day-based clock (HIPAA's "60 calendar days")
/// counts calendar days in the zone of whom it is owed to, so a change between moves it by the hour it changed.
/// </remarks>
public static class NotificationClocks
{
    /// <summary>The name of the custom party attribute that gives a party's IANA time zone (<c>Europe/Berlin</c>).</summary>
    public const string TimeZoneAttribute = "timeZone";

    private static readonly HashSet<string> s_eea = [.. JurisdictionGroups.Members("EEA")];

    private static readonly HashSet<string> s_healthSectors = new(["healthcare", "health"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Computes every notification clock of an incident detected at <paramref name="detectedAt"/>.</summary>
    /// <param name="detectedAt">When the incident was detected: every clock starts here.</param>
    /// <param name="affected">The affected agreements.</param>
    /// <returns>One clock per whom to tell, the earliest deadline first.</returns>
    public static IReadOnlyList<NotificationClock> Compute(DateTimeOffset detectedAt, IEnumerable<Agreement> affected)
    {
        ArgumentNullException.ThrowIfNull(affected);
        var owed = new List<(string Whom, string Rule, DateTimeOffset Due, TimeZoneInfo Zone, string Agreement)>();
        foreach (var agreement in affected)
        {
            foreach (var duty in Duties(agreement))
            {
                owed.Add((duty.Whom, duty.Rule, duty.Deadline(detectedAt, duty.Zone), duty.Zone, agreement.Id.Value));
            }
        }

        return [.. owed
            .GroupBy(o => o.Whom, StringComparer.Ordinal)
            .Select(whom =>
            {
                var ordered = whom.OrderBy(o => o.Due).ThenBy(o => o.Rule, StringComparer.Ordinal).ToList();
                var first = ordered[0];
                return new NotificationClock(
                    whom.Key,
                    first.Rule,
                    first.Due.ToUniversalTime(),
                    first.Zone.Id,
                    TimeZoneInfo.ConvertTime(first.Due, first.Zone),
                    [.. ordered.Select(o => o.Rule).Distinct(StringComparer.Ordinal)],
                    [.. ordered.Select(o => o.Agreement).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
            })
            .OrderBy(c => c.Due)
            .ThenBy(c => c.Whom, StringComparer.Ordinal)];
    }

    /// <summary>Returns the zone a party names in its <see cref="TimeZoneAttribute"/> attribute, or UTC.</summary>
    /// <param name="party">The party.</param>
    /// <returns>The zone; UTC when the party names none or one this machine does not know.</returns>
    public static TimeZoneInfo ZoneOf(Party party)
    {
        ArgumentNullException.ThrowIfNull(party);
        var values = party.Attributes.FirstOrDefault(a => a.Name == TimeZoneAttribute)?.Values;
        var name = values is { Count: > 0 } ? values[0] : null;
        return name is not null && TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private static IEnumerable<Duty> Duties(Agreement agreement)
    {
        if (agreement.BreachNotificationHours is { } hours)
        {
            foreach (var party in agreement.Parties.Where(p => p.Roles.Contains(PartyRole.Provider) || p.Roles.Contains(PartyRole.Controller)))
            {
                yield return Duty.InHours("party:" + party.Id.Value, "agreement", hours, ZoneOf(party));
            }
        }

        var health = agreement.Compliance?.Sectors.Any(s_healthSectors.Contains) == true;
        foreach (var party in agreement.Parties)
        {
            var country = Country(party.Jurisdiction.Value);
            if (s_eea.Contains(country))
            {
                // Spec: GDPR Art. 33(1): the supervisory authority, without undue delay and where feasible within 72 hours.
                yield return Duty.InHours("authority:" + country, "gdpr-art33", 72, ZoneOf(party));
            }
            else if (country == "GB")
            {
                // Spec: UK GDPR Art. 33(1): the ICO, within 72 hours.
                yield return Duty.InHours("authority:GB", "uk-gdpr-art33", 72, ZoneOf(party));
            }
            else if (country == "US" && health)
            {
                // Spec: 45 CFR 164.404/408: without unreasonable delay and no later than 60 calendar days after discovery.
                yield return Duty.InCalendarDays("authority:US-HHS", "hipaa-breach", 60, ZoneOf(party));
            }
        }
    }

    /// <summary>The country of a jurisdiction code: <c>US</c> of <c>US-CA</c>; a group stays a group.</summary>
    private static string Country(string jurisdiction)
    {
        var dash = jurisdiction.IndexOf('-', StringComparison.Ordinal);
        return (dash > 0 ? jurisdiction[..dash] : jurisdiction).ToUpperInvariant();
    }

    private sealed record Duty(string Whom, string Rule, TimeZoneInfo Zone, Func<DateTimeOffset, TimeZoneInfo, DateTimeOffset> Deadline)
    {
        public static Duty InHours(string whom, string rule, int hours, TimeZoneInfo zone) =>
            new(whom, rule, zone, (detected, _) => detected.ToUniversalTime().AddHours(hours));

        public static Duty InCalendarDays(string whom, string rule, int days, TimeZoneInfo zone) =>
            new(whom, rule, zone, (detected, z) => FromLocal(TimeZoneInfo.ConvertTime(detected, z).DateTime.AddDays(days), z));
    }

    /// <summary>
    /// The instant a local wall-clock time names: a time skipped by a spring-forward is read with the offset before
    /// the change (so 02:30 becomes 03:30 summer time), and a time repeated by an autumn-back change is its first
    /// occurrence, the earlier instant, since a deadline must not be read late.
    /// </summary>
    private static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.IsInvalidTime(local) ? zone.GetUtcOffset(local.AddHours(-6))
            : zone.GetUtcOffset(local);
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }
}
