using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// The typed agreement as a JSON tree with the keys of the YAML language: the input of the digest.
/// </summary>
/// <remarks>
/// Values are written after typing (instants and durations in their canonical forms, numbers as numbers); nothing
/// absent is filled in: null values, empty lists and optional booleans that are <see langword="false"/> are left
/// out, so that a document written before a field existed keeps its digest. Lists that are sets are sorted
/// (ordinal) and de-duplicated; lists of things with ids are sorted by id.
/// </remarks>
// CAUTION: persisted/public format (the digest input); see docs/formats/agreement.md#digest
public static class AgreementJson
{
    /// <summary>Converts an agreement to its digest JSON tree.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <returns>A new JSON object.</returns>
    public static JsonObject ToJson(Agreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var a = agreement;
        return Object(
            ("concordat", a.FormatVersion),
            ("id", a.Id.Value),
            ("version", a.Version),
            ("title", a.Title),
            ("partnership", AgreementEnumText.ToText(a.Partnership)),
            ("engagement", AgreementEnumText.ToText(a.Engagement)),
            ("parties", Array(a.Parties.OrderBy(p => p.Id.Value, StringComparer.Ordinal).Select(p => Party(p, a.Attributes)))),
            ("approvers", Array(a.Approvers.OrderBy(x => x.Id.Value, StringComparer.Ordinal).Select(Approver))),
            ("effective", Window(a.Effective)),
            ("termination", a.Termination is { } t ? Object(("noticeDays", t.NoticeDays), ("deleteWithinDays", t.DeleteWithinDays)) : null),
            ("purposes", Array(a.Purposes.OrderBy(p => p.Id.Value, StringComparer.Ordinal).Select(p => Object(("id", p.Id.Value), ("broader", p.Broader?.Value), ("description", p.Description))))),
            ("datasets", Array(a.Datasets.OrderBy(d => d.Id.Value, StringComparer.Ordinal).Select(d => Dataset(d, a.Attributes)))),
            ("grants", Array(a.Grants.OrderBy(g => g.Id.Value, StringComparer.Ordinal).Select(Grant))),
            ("prohibitions", Array(a.Prohibitions.OrderBy(p => p.Id.Value, StringComparer.Ordinal).Select(Prohibition))),
            ("retention", a.Retention is { } r ? Object(("daysAfterEgress", r.DaysAfterEgress), ("deletionAttestationDays", r.DeletionAttestationDays)) : null),
            ("breachNotificationHours", a.BreachNotificationHours),
            ("audit", a.Audit is { } au ? Object(("allowed", au.Allowed), ("cadence", au.Cadence), ("noticeDays", au.NoticeDays)) : null),
            ("publication", a.Publication is { } pu ? Object(("allowed", pu.Allowed), ("attribution", pu.Attribution), ("reviewDays", pu.ReviewDays)) : null),
            ("intellectualProperty", a.IntellectualProperty is { } ip ? IntellectualProperty(ip) : null),
            ("liabilityCap", a.LiabilityCap),
            ("compliance", a.Compliance is { } c ? Object(("jurisdictions", Set(c.Jurisdictions.Select(j => j.Value))), ("sectors", Set(c.Sectors))) : null),
            ("artifacts", Array(a.Artifacts.OrderBy(x => x.Kind, StringComparer.Ordinal).ThenBy(x => x.Digest.Hex, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal).Select(Artifact))),
            ("incidents", a.Incidents is { } i ? Object(("autoSealAlerts", Set(i.AutoSealAlerts)), ("vulnerabilityAcknowledgeHours", i.VulnerabilityAcknowledgeHours), ("vulnerabilityResponseHours", i.VulnerabilityResponseHours), ("serviceLevels", i.ServiceLevels is { } sl ? Object(("acknowledge", Duration(sl.Acknowledge)), ("contain", Duration(sl.Contain)), ("resolve", Duration(sl.Resolve))) : null)) : null),
            ("serviceLevels", a.ServiceLevels is { } s ? Object(("availabilityPercent", s.AvailabilityPercent), ("responseHours", s.ResponseHours), ("apiTerms", s.ApiTerms)) : null),
            ("attributes", Array(a.Attributes.OrderBy(d => AgreementEnumText.ToText(d.Of), StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal).Select(d => Object(
                ("name", d.Name),
                ("of", AgreementEnumText.ToText(d.Of)),
                ("type", AgreementEnumText.ToText(d.Type)),
                ("levels", Array(d.Levels.Select(l => (JsonNode)JsonValue.Create(l)))))))),
            ("collections", Array(a.Collections.OrderBy(c => c.Id.Value, StringComparer.Ordinal).Select(c => Object(("id", c.Id.Value), ("datasets", Set(c.Datasets.Select(d => d.Value))))))),
            ("groups", Array(a.Groups.OrderBy(g => g.Id.Value, StringComparer.Ordinal).Select(g => Object(("id", g.Id.Value), ("parties", Set(g.Parties.Select(p => p.Value))))))),
            ("diligence", Array(a.Diligence.OrderBy(d => d.Party.Value, StringComparer.Ordinal).Select(d => Object(("party", d.Party.Value), ("maxAgeDays", d.MaxAgeDays), ("minScore", d.MinScore), ("assessorKeys", Set(d.AssessorKeys)))))));
    }

    // Invariant: a value is written with its declared type (integers and booleans as JSON numbers and booleans, sets
    // as sorted arrays), so that `tier: 2` and `tier: "2"` cannot share a digest when the declaration differs.
    private static JsonObject? Assignments(IReadOnlyList<AttributeAssignment> assigned, IEnumerable<AttributeDeclaration> declarations, AttributeOwner owner)
    {
        if (assigned.Count == 0)
        {
            return null;
        }

        var types = declarations.Where(d => d.Of == owner).GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);
        var json = new JsonObject();
        foreach (var assignment in assigned.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            json[assignment.Name] = types.GetValueOrDefault(assignment.Name) switch
            {
                AttributeType.StringSet or AttributeType.JurisdictionSet => Set(assignment.Values) ?? new JsonArray(),
                AttributeType.Integer => JsonValue.Create(long.Parse(assignment.Values[0], System.Globalization.CultureInfo.InvariantCulture)),
                AttributeType.Boolean => JsonValue.Create(assignment.Values[0] == "true"),
                _ => JsonValue.Create(assignment.Values[0]),
            };
        }

        return json;
    }

    private static JsonObject Party(Party p, IReadOnlyList<AttributeDeclaration> declarations) => Object(
        ("id", p.Id.Value),
        ("legalName", p.LegalName),
        ("jurisdiction", p.Jurisdiction.Value),
        ("roles", EnumSet(p.Roles)),
        ("keys", Set(p.Keys)),
        ("breachContact", p.BreachContact),
        ("clearance", p.Clearance is { } clearance ? AgreementEnumText.ToText(clearance) : null),
        ("certifications", Set(p.Certifications)),
        ("dataRoles", DataRoles(p.DataRoles)),
        ("attributes", Assignments(p.Attributes, declarations, AttributeOwner.Party)));

    // Invariant: left out when empty, so an agreement that declares no data roles keeps the digest it had before them.
    private static JsonObject? DataRoles(IReadOnlyDictionary<PurposeId, DataRole> roles)
    {
        if (roles.Count == 0)
        {
            return null;
        }

        var json = new JsonObject();
        foreach (var (purpose, role) in roles.OrderBy(r => r.Key.Value, StringComparer.Ordinal))
        {
            json[purpose.Value] = AgreementEnumText.ToText(role);
        }

        return json;
    }

    private static JsonObject Approver(Approver x) => Object(
        ("id", x.Id.Value),
        ("name", x.Name),
        ("party", x.Party?.Value),
        ("keys", Set(x.Keys)));

    private static JsonObject Window(TimeWindow w) => Object(
        ("from", Rfc3339.Format(w.From)),
        ("until", w.Until is { } u ? Rfc3339.Format(u) : null));

    private static JsonObject Dataset(DatasetDefinition d, IReadOnlyList<AttributeDeclaration> declarations) => Object(
        ("id", d.Id.Value),
        ("owner", d.Owner.Value),
        ("tags", Object(
            ("sensitivity", AgreementEnumText.ToText(d.Tags.Sensitivity)),
            ("licence", d.Tags.Licence),
            ("source", d.Tags.Source),
            ("originJurisdiction", d.Tags.OriginJurisdiction?.Value),
            ("personalData", d.Tags.PersonalData ? true : null),
            ("residency", Set(d.Tags.Residency.Select(j => j.Value))))),
        ("fields", Array(d.Fields.OrderBy(f => f.Name.Value, StringComparer.Ordinal).Select(f => Object(
            ("name", f.Name.Value),
            ("type", AgreementEnumText.ToText(f.Type)),
            ("classification", f.Classification == FieldClassification.Plain ? null : AgreementEnumText.ToText(f.Classification)))))),
        ("consentField", d.ConsentField?.Value),
        ("residencyField", d.ResidencyField?.Value),
        ("entityKey", d.EntityKey?.Value),
        ("attributes", Assignments(d.Attributes, declarations, AttributeOwner.Dataset)));

    private static JsonObject Grant(Grant g) => Object(
        ("id", g.Id.Value),
        ("recipient", g.Recipient.Value is { Length: > 0 } recipient ? recipient : null),
        ("datasets", Set(g.Datasets.Select(x => x.Value))),
        ("purposes", Set(g.Purposes.Select(x => x.Value))),
        ("actions", EnumSet(g.Actions)),
        ("fieldRules", Array(g.FieldRules
            .OrderBy(r => r.Field.Value, StringComparer.Ordinal).ThenBy(r => AgreementEnumText.ToText(r.Kind), StringComparer.Ordinal).ThenBy(r => r.Parameter, StringComparer.Ordinal)
            .Select(r => Object(("field", r.Field.Value), ("rule", AgreementEnumText.ToText(r.Kind)), ("parameter", r.Parameter))))),
        ("rowRules", g.RowRules is { } rows ? Object(("requireConsent", rows.RequireConsent ? true : null), ("residency", Set(rows.Residency.Select(j => j.Value)))) : null),
        ("jurisdictions", Set(g.Jurisdictions.Select(j => j.Value))),
        ("subprocessors", Set(g.Subprocessors.Select(s => s.Value))),
        ("window", g.Window is { } w ? Window(w) : null),
        ("rateLimit", g.RateLimit is { } rl ? Object(("requests", rl.Requests), ("period", IsoDuration.Format(rl.Period))) : null),
        ("tokenLifetime", g.TokenLifetime is { } tl ? IsoDuration.Format(tl) : null),
        ("minGroupSize", g.MinGroupSize),
        ("privacyBudget", g.PrivacyBudget is { } b ? Object(("epsilon", b.Epsilon), ("delta", b.Delta), ("period", IsoDuration.Format(b.Period)), ("lifetimeEpsilon", b.LifetimeEpsilon)) : null),
        ("collections", Set(g.Collections.Select(c => c.Value))),
        ("groups", Set(g.Groups.Select(x => x.Value))),
        ("when", g.When?.Text),
        ("aggregates", g.Aggregates is { } s ? Object(
            ("dimensions", Set(s.Dimensions.Select(f => f.Value))),
            ("measures", Set(s.Measures.Select(f => f.Value))),
            ("joinKeys", Set(s.JoinKeys.Select(f => f.Value))),
            ("joinDimensions", Set(s.JoinDimensions.Select(f => f.Value))),
            ("maxGroupsPerEntity", s.MaxGroupsPerEntity),
            ("maxRowsPerGroup", s.MaxRowsPerGroup),
            ("partitionSelection", s.CanSelectPartitions ? true : null)) : null));

    private static JsonObject Prohibition(Prohibition p) => Object(
        ("id", p.Id.Value),
        ("recipients", Set(p.Recipients.Select(x => x.Value))),
        ("datasets", Set(p.Datasets.Select(x => x.Value))),
        ("purposes", Set(p.Purposes.Select(x => x.Value))),
        ("jurisdictions", Set(p.Jurisdictions.Select(x => x.Value))),
        ("sensitivities", EnumSet(p.Sensitivities)),
        ("actions", EnumSet(p.Actions)),
        ("reidentification", p.Reidentification ? true : null),
        ("joinWith", Set(p.JoinWith.Select(x => x.Value))),
        ("collections", Set(p.Collections.Select(c => c.Value))),
        ("groups", Set(p.Groups.Select(x => x.Value))),
        ("when", p.When?.Text),
        ("unless", p.Unless?.Text));

    private static JsonObject IntellectualProperty(IpTerms ip) => Object(
        ("background", Array(ip.Background.OrderBy(x => x.Party.Value, StringComparer.Ordinal).ThenBy(x => x.Description, StringComparer.Ordinal)
            .Select(x => Object(("party", x.Party.Value), ("description", x.Description))))),
        ("foreground", ip.Foreground is { } f ? AgreementEnumText.ToText(f) : null),
        ("foregroundOwner", ip.ForegroundOwner?.Value),
        ("thirdPartyLicences", Set(ip.ThirdPartyLicences)));

    private static JsonObject Artifact(ArtifactReference x) => Object(
        ("kind", x.Kind),
        ("digest", x.Digest.ToString()),
        ("name", x.Name),
        ("approvedBy", x.ApprovedBy?.Value));

    private static JsonArray? EnumSet<TEnum>(IEnumerable<TEnum> values)
        where TEnum : struct, Enum =>
        Set(values.Select(AgreementEnumText.ToText));

    private static JsonArray? Set(IEnumerable<string> values) =>
        Array(values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v)));

    private static JsonArray? Array(IEnumerable<JsonNode> items)
    {
        var array = new JsonArray([.. items]);
        return array.Count == 0 ? null : array;
    }

    private static string? Duration(TimeSpan? duration) => duration is { } d ? IsoDuration.Format(d) : null;

    private static JsonObject Object(params (string Key, object? Value)[] members)
    {
        var json = new JsonObject();
        foreach (var (key, value) in members)
        {
            JsonNode? node = value switch
            {
                null => null,
                JsonNode n => n,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                _ => throw new InvalidOperationException($"no JSON form for {value.GetType().Name}"),
            };
            if (node is not null)
            {
                json[key] = node;
            }
        }

        return json;
    }
}
