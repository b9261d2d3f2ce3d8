using Concordat.Core;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Warnings about clauses an agreement of its partnership model and engagement kind usually needs (AGR30xx).
/// </summary>
internal sealed class AgreementLinter(Binder b, Agreement a)
{
    // Spec: EU member states (TEU Art. 52) and the EEA EFTA states (Iceland, Liechtenstein, Norway); `EL` is the EU's
    // code for Greece besides ISO's `GR`.
    private static readonly HashSet<string> s_euEea =
    [
        "EU", "EEA", "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV", "LT",
        "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    ];

    public void Lint()
    {
        var root = b.Map.SpanOf(a);
        var personal = a.Datasets.Where(IsPersonal).ToList();
        var engagement = AgreementEnumText.ToText(a.Engagement);
        var partnership = AgreementEnumText.ToText(a.Partnership);

        if (a.Engagement == EngagementKind.ResearchAndDevelopment && a.Publication is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoPublication, "research and development agreement without publication terms", Key("engagement"), "add `publication:` saying whether results may be published, with attribution and review period");
        }

        if (a.Engagement is EngagementKind.ResearchAndDevelopment or EngagementKind.JointVenture && a.IntellectualProperty?.Foreground is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoForegroundIp, $"{engagement} agreement without a foreground-IP rule", Key("engagement"), "add `intellectualProperty: { foreground: joint | discoverer | party }` saying who owns what the work creates");
        }

        if (a.Engagement == EngagementKind.Technology && a.ServiceLevels?.ApiTerms is null && a.ServiceLevels?.AvailabilityPercent is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoServiceLevels, "technology partnership without service levels or API terms", Key("engagement"), "add `serviceLevels:` with `availabilityPercent`, `responseHours` and `apiTerms`");
        }

        if (a.Partnership is PartnershipModel.Consortium or PartnershipModel.FederatedDataTrust && a.Audit is not { Allowed: true })
        {
            Warn(AgreementDiagnosticCodes.LintNoAudit, $"{partnership} agreement without audit rights", Key("partnership"), "add `audit: { allowed: true, cadence: annual }` so members can check each other");
        }

        if (a.Partnership == PartnershipModel.OpenSourceCommunity)
        {
            if (a.Publication?.Attribution is null)
            {
                Warn(AgreementDiagnosticCodes.LintNoAttribution, "open-source community agreement without attribution text", Key("partnership"), "add `publication: { allowed: true, attribution: \"...\" }` with the credit the community asks for");
            }

            foreach (var dataset in a.Datasets.Where(d => d.Tags.Licence is null))
            {
                Warn(AgreementDiagnosticCodes.LintNoLicence, $"dataset `{dataset.Id}` of an open-source community has no licence", b.Map.SpanOf(dataset.Tags) ?? b.Map.SpanOf(dataset), "add `licence:` to its tags as an SPDX expression such as `CC-BY-SA-4.0`");
            }
        }

        if (a.Termination is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoTermination, "agreement without termination terms", root, "add `termination: { noticeDays: 30, deleteWithinDays: 30 }`");
        }

        if (personal.Count > 0)
        {
            LintPersonalData(personal, root);
        }

        foreach (var grant in a.Grants)
        {
            LintGrant(grant);
        }

        if (a.Purposes.Any(p => p.Id.Value == "red-teaming")
            && (a.Incidents?.VulnerabilityAcknowledgeHours is null || a.Incidents.VulnerabilityResponseHours is null))
        {
            Warn(AgreementDiagnosticCodes.LintNoVulnerabilityDeadlines, "red-teaming agreement without vulnerability acknowledgement and response deadlines", a.Incidents is null ? root : b.Map.SpanOf(a.Incidents), "add `incidents: { vulnerabilityAcknowledgeHours: 24, vulnerabilityResponseHours: 72 }`");
        }
    }

    private void LintPersonalData(List<DatasetDefinition> personal, SourceSpan? root)
    {
        var names = string.Join(", ", personal.Select(d => $"`{d.Id}`"));
        if (a.BreachNotificationHours is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoBreachDeadline, $"personal data ({names}) without a breach-notification deadline", root, "add `breachNotificationHours: 72` (GDPR Art. 33 asks for 72 hours)");
        }

        if (a.Retention is null)
        {
            Warn(AgreementDiagnosticCodes.LintNoRetention, $"personal data ({names}) without retention terms", root, "add `retention: { daysAfterEgress: 90, deletionAttestationDays: 14 }`");
        }

        var inEu = personal.Where(IsEuPersonal).ToList();
        if (inEu.Count > 0 && !a.Artifacts.Any(x => x.Kind == "dpia"))
        {
            Warn(AgreementDiagnosticCodes.LintNoDpia, $"EU/EEA personal data ({string.Join(", ", inEu.Select(d => $"`{d.Id}`"))}) without a DPIA", b.Map.SpanOf(inEu[0]), "add an artifact `{ kind: dpia, digest: sha256:... }` referencing the data protection impact assessment (GDPR Art. 35)");
        }

        foreach (var party in a.Parties.Where(p => p.BreachContact is null && p.Roles.Any(r => r is PartyRole.Provider or PartyRole.Recipient)))
        {
            Warn(AgreementDiagnosticCodes.LintNoBreachContact, $"party `{party.Id}` handles personal data but has no breach contact", b.Map.SpanOf(party), "add `breachContact:` with an address that is watched around the clock");
        }
    }

    private void LintGrant(Grant grant)
    {
        if (grant.PrivacyBudget is { LifetimeEpsilon: null })
        {
            Warn(AgreementDiagnosticCodes.LintNoLifetimeBudget, $"grant `{grant.Id}`: the privacy budget renews every {IsoDuration.Format(grant.PrivacyBudget.Period)} with no lifetime cap, so repeated queries leak without bound", b.Map.SpanOf(grant, "privacyBudget"), "add `lifetimeEpsilon:` to `privacyBudget`: the ε all periods together may spend");
        }

        if (!grant.Actions.Any(x => x is DataAction.ReadRows or DataAction.DownloadSnapshot))
        {
            return;
        }

        foreach (var dataset in a.Datasets.Where(d => grant.Datasets.Contains(d.Id)))
        {
            foreach (var field in dataset.Fields.Where(f => f.Classification == FieldClassification.DirectIdentifier))
            {
                var rule = grant.FieldRules.FirstOrDefault(r => r.Field == field.Name);
                if (rule is null || rule.Kind == FieldRuleKind.Allow)
                {
                    Warn(AgreementDiagnosticCodes.LintClearIdentifier, $"grant `{grant.Id}` lets direct identifier `{field.Name}` of `{dataset.Id}` reach the recipient unchanged", b.Map.SpanOf(grant, "id"), $"add a field rule for `{field.Name}`: `drop`, `mask` or `pseudonymise`");
                }
            }
        }
    }

    private bool IsEuPersonal(DatasetDefinition dataset) =>
        IsEuEea(dataset.Tags.OriginJurisdiction)
        || a.Grants.Where(g => g.Datasets.Contains(dataset.Id)).Any(g => g.Jurisdictions.Any(j => IsEuEea(j)) || (g.RowRules?.Residency.Any(j => IsEuEea(j)) ?? false));

    private static bool IsEuEea(Jurisdiction? jurisdiction) =>
        jurisdiction is { Value.Length: >= 2 } j && s_euEea.Contains(j.Value.Split('-')[0]);

    private static bool IsPersonal(DatasetDefinition dataset) =>
        dataset.Tags.PersonalData || dataset.Fields.Any(f => f.Classification != FieldClassification.Plain);

    private SourceSpan? Key(string key) => b.Map.SpanOf(a, key);

    private void Warn(ErrorCode code, string message, SourceSpan? span, string help) =>
        b.Report(code, message, span, help, DiagnosticSeverity.Warning);
}
