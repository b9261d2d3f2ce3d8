using System.Globalization;
using System.Text;
using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// Says in plain language who may do what, on which data, for which purpose, where and until when, with which
/// obligations; and what is forbidden. For reviewers who do not read YAML.
/// </summary>
public static class AgreementExplainer
{
    /// <summary>Explains an agreement.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <returns>Plain-language text, one paragraph per clause, ending with a newline.</returns>
    public static string Explain(Agreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var a = agreement;
        var text = new StringBuilder();
        var parties = a.Parties.ToDictionary(p => p.Id, p => p);
        string Name(PartyId id) => parties.TryGetValue(id, out var p) ? $"{p.LegalName} (`{id}`)" : $"`{id}`";

        text.Append(CultureInfo.InvariantCulture, $"Agreement `{a.Id}` version {a.Version}: {a.Title}\n");
        var model = Words(AgreementEnumText.ToText(a.Partnership));
        text.Append(CultureInfo.InvariantCulture, $"{("aeiou".Contains(model[0], StringComparison.Ordinal) ? "An" : "A")} {model} {Words(AgreementEnumText.ToText(a.Engagement))} agreement between {List(a.Parties.Select(p => $"{p.LegalName} (`{p.Id}`, {p.Jurisdiction}; {List(p.Roles.Select(r => Words(AgreementEnumText.ToText(r))))})"))}.\n");
        if (a.Approvers.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"It also needs the approval of {List(a.Approvers.Select(x => $"{x.Name} (`{x.Id}`)"))}.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"It is in effect {Window(a.Effective)}.\n");
        if (a.Termination is { } t)
        {
            text.Append(CultureInfo.InvariantCulture, $"Either party may terminate it with {Days(t.NoticeDays)} notice{(t.DeleteWithinDays is { } d ? $"; on termination the data must be deleted within {Days(d)}" : string.Empty)}.\n");
        }

        text.Append("\nWho may do what\n");
        if (a.Grants.Count == 0)
        {
            text.Append("  Nothing is permitted: the agreement has no grants, so every request is denied.\n");
        }

        foreach (var g in a.Grants)
        {
            var narrower = a.Purposes.Where(p => p.Broader is { } b && g.Purposes.Contains(b)).Select(p => $"`{p.Id}`").ToList();
            text.Append(CultureInfo.InvariantCulture, $"  [{g.Id}] {Name(g.Recipient)} may {List(g.Actions.Select(Action))} on {List(g.Datasets.Select(d => $"`{d}`"))} for {List(g.Purposes.Select(p => $"`{p}`"))}");
            text.Append(narrower.Count > 0 ? $" (which covers {List(narrower)})" : string.Empty);
            text.Append(CultureInfo.InvariantCulture, $", {(g.Jurisdictions.Count == 0 ? "processed in any jurisdiction not prohibited" : $"processed only in {List(g.Jurisdictions.Select(j => j.Value))}")}");
            text.Append(CultureInfo.InvariantCulture, $", {(g.Window is { } w ? Window(w) : "for as long as the agreement is in effect")}.\n");
            var obligations = Obligations(g);
            if (obligations.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"      Obligations: {string.Join("; ", obligations)}.\n");
            }
        }

        text.Append("  Everything else is denied.\n");
        if (a.Prohibitions.Count > 0)
        {
            text.Append("\nWhat is forbidden, whatever any grant says\n");
            foreach (var p in a.Prohibitions)
            {
                text.Append(CultureInfo.InvariantCulture, $"  [{p.Id}] {Prohibition(p, Name)}.\n");
            }
        }

        var terms = OtherTerms(a, Name);
        if (terms.Count > 0)
        {
            text.Append("\nOther terms\n");
            foreach (var term in terms)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {term}.\n");
            }
        }

        return text.ToString();
    }

    private static List<string> Obligations(Grant g)
    {
        var list = new List<string>();
        list.AddRange(g.FieldRules.Select(r => r.Kind switch
        {
            FieldRuleKind.Allow => $"`{r.Field}` passes unchanged",
            FieldRuleKind.Generalise => $"generalise `{r.Field}`{(r.Parameter is null ? string.Empty : $" ({r.Parameter})")}",
            _ => $"{AgreementEnumText.ToText(r.Kind)} `{r.Field}`" + (r.Parameter is null ? string.Empty : $" ({r.Parameter})"),
        }));
        if (g.RowRules is { RequireConsent: true })
        {
            list.Add("only rows whose consent basis covers the purpose");
        }

        if (g.RowRules is { Residency.Count: > 0 } rows)
        {
            list.Add($"only rows of people resident in {List(rows.Residency.Select(j => j.Value))}");
        }

        if (g.Subprocessors.Count > 0)
        {
            list.Add($"subprocessors allowed: {List(g.Subprocessors.Select(s => $"`{s}`"))}");
        }

        if (g.RateLimit is { } rl)
        {
            list.Add($"at most {rl.Requests} requests per {IsoDuration.Format(rl.Period)}");
        }

        if (g.TokenLifetime is { } tl)
        {
            list.Add($"tokens live at most {IsoDuration.Format(tl)}");
        }

        if (g.MinGroupSize is { } k)
        {
            list.Add($"aggregates only over groups of at least {k}");
        }

        if (g.PrivacyBudget is { } b)
        {
            list.Add(string.Create(CultureInfo.InvariantCulture, $"differential-privacy budget ε={b.Epsilon:0.##########}, δ={b.Delta:0.##########} per {IsoDuration.Format(b.Period)}"));
            if (b.LifetimeEpsilon is { } lifetime)
            {
                list.Add(string.Create(CultureInfo.InvariantCulture, $"at most ε={lifetime:0.##########} over all periods together"));
            }
        }

        if (g.Aggregates is { } scope)
        {
            if (scope.Dimensions.Count > 0)
            {
                list.Add($"aggregates grouped only by {string.Join(", ", scope.Dimensions.Select(f => f.Value))}");
            }

            if (scope.Measures.Count > 0)
            {
                list.Add($"sums and means only of {string.Join(", ", scope.Measures.Select(f => f.Value))}");
            }

            if (scope.JoinKeys.Count > 0)
            {
                list.Add($"may join its own uploaded table on {string.Join(", ", scope.JoinKeys.Select(f => f.Value))}");
            }

            if (scope.JoinDimensions.Count > 0)
            {
                list.Add($"may group by its own table's {string.Join(", ", scope.JoinDimensions.Select(f => f.Value))} after a join");
            }

            if (scope.CanSelectPartitions)
            {
                list.Add("may take group keys from the data by differentially private partition selection, which spends δ");
            }
        }

        return list;
    }

    private static string Prohibition(Prohibition p, Func<PartyId, string> name)
    {
        var who = p.Recipients.Count == 0 ? "Nobody may" : $"{List(p.Recipients.Select(name))} may not";
        var parts = new List<string>();
        if (p.Actions.Count > 0)
        {
            parts.Add($"{List(p.Actions.Select(Action))}");
        }

        if (p.Datasets.Count > 0)
        {
            parts.Add($"use {List(p.Datasets.Select(d => $"`{d}`"))}");
        }

        if (p.Purposes.Count > 0)
        {
            parts.Add($"use data for {List(p.Purposes.Select(x => $"`{x}`"))} (or any narrower purpose)");
        }

        if (p.Jurisdictions.Count > 0)
        {
            parts.Add($"process data in {List(p.Jurisdictions.Select(j => j.Value))}");
        }

        if (p.Sensitivities.Count > 0)
        {
            parts.Add($"touch {List(p.Sensitivities.Select(s => AgreementEnumText.ToText(s)))} data");
        }

        if (p.Reidentification)
        {
            parts.Add("re-identify anyone");
        }

        if (p.JoinWith.Count > 0)
        {
            parts.Add($"join the data with {List(p.JoinWith.Select(d => $"`{d}`"))}");
        }

        return $"{who} {string.Join(" or ", parts)}";
    }

    private static List<string> OtherTerms(Agreement a, Func<PartyId, string> name)
    {
        var terms = new List<string>();
        if (a.Retention is { } r)
        {
            terms.Add($"Data is kept at most {Days(r.DaysAfterEgress)} after it leaves the provider{(r.DeletionAttestationDays is { } d ? $", and deletion is attested within {Days(d)}" : string.Empty)}");
        }

        if (a.BreachNotificationHours is { } h)
        {
            terms.Add($"A breach must be notified within {h} hours");
        }

        if (a.Audit is { } au)
        {
            terms.Add(au.Allowed ? $"Audits are allowed{(au.Cadence is null ? string.Empty : $" ({au.Cadence})")}{(au.NoticeDays is { } n ? $" with {Days(n)} notice" : string.Empty)}" : "Audits are not allowed");
        }

        if (a.Publication is { } pu)
        {
            terms.Add(pu.Allowed ? $"Results may be published{(pu.ReviewDays is { } rd ? $" after a review of {Days(rd)}" : string.Empty)}{(pu.Attribution is null ? string.Empty : $", crediting \"{pu.Attribution}\"")}" : "Results may not be published");
        }

        if (a.IntellectualProperty is { } ip)
        {
            terms.AddRange(ip.Background.Select(b => $"Background IP of {name(b.Party)}: {b.Description}"));
            if (ip.Foreground is { } f)
            {
                terms.Add(f switch
                {
                    ForegroundOwnership.Joint => "What the work creates (foreground IP) is owned jointly",
                    ForegroundOwnership.Discoverer => "What the work creates (foreground IP) is owned by whoever creates it",
                    _ => $"What the work creates (foreground IP) is owned by {(ip.ForegroundOwner is { } o ? name(o) : "a named party")}",
                });
            }

            if (ip.ThirdPartyLicences.Count > 0)
            {
                terms.Add($"Third-party components under {List(ip.ThirdPartyLicences)} may be used");
            }
        }

        if (a.LiabilityCap is { } cap)
        {
            terms.Add($"Liability cap (informational): {cap}");
        }

        if (a.Compliance is { } c)
        {
            terms.Add($"Rules that apply: {List(c.Jurisdictions.Select(j => j.Value).Concat(c.Sectors))}");
        }

        terms.AddRange(a.Artifacts.Select(x => $"Relies on {x.Kind} {(x.Name is null ? string.Empty : $"\"{x.Name}\" ")}({x.Digest}){(x.ApprovedBy is { } by ? $", approved by `{by}`" : string.Empty)}"));
        if (a.Incidents is { } i)
        {
            if (i.AutoSealAlerts.Count > 0)
            {
                terms.Add($"These alerts seal the recipient at once: {List(i.AutoSealAlerts)}");
            }

            if (i.VulnerabilityAcknowledgeHours is { } ack)
            {
                terms.Add($"A reported vulnerability is acknowledged within {ack} hours{(i.VulnerabilityResponseHours is { } resp ? $" and answered within {resp} hours" : string.Empty)}");
            }

            if (i.ServiceLevels is { } sl)
            {
                var levels = new[] { ("acknowledged", sl.Acknowledge), ("contained", sl.Contain), ("resolved", sl.Resolve) }
                    .Where(t => t.Item2 is not null).Select(t => $"{t.Item1} within {IsoDuration.Format(t.Item2!.Value)}");
                terms.Add($"An incident is {string.Join(", ", levels)} of its detection");
            }
        }

        terms.AddRange(a.Diligence.Select(d => $"Before this version comes into force, and while it stays in force, {name(d.Party)} holds a due-diligence record at most {Days(d.MaxAgeDays)} old, scoring at least {d.MinScore}% overall with every section's minimum reached, signed by {List(d.AssessorKeys.Select(k => k.Split('+')[0]))}"));
        if (a.ServiceLevels is { } s)
        {
            if (s.AvailabilityPercent is { } availability)
            {
                terms.Add(string.Create(CultureInfo.InvariantCulture, $"Availability of at least {availability}%"));
            }

            if (s.ResponseHours is { } response)
            {
                terms.Add($"Support answers within {response} hours");
            }

            if (s.ApiTerms is { } api)
            {
                terms.Add($"API terms: {api}");
            }
        }

        return terms;
    }

    private static string Action(DataAction action) => action switch
    {
        DataAction.ReadRows => "read rows",
        DataAction.AggregateQuery => "run aggregate queries",
        _ => "download snapshots",
    };

    private static string Window(TimeWindow w) =>
        w.Until is { } until ? $"from {Rfc3339.Format(w.From)} until {Rfc3339.Format(until)}" : $"from {Rfc3339.Format(w.From)} with no end date";

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    private static string Words(string kebab) => kebab.Replace('-', ' ').Replace("gdpr", "GDPR", StringComparison.Ordinal);

    private static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count switch
        {
            0 => "nothing",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1],
        };
    }
}
