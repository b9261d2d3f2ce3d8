using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Odrl;

/// <summary>
/// Writes an agreement as an ODRL 2.2 <c>Agreement</c> policy in JSON-LD (W3C ODRL Information Model 2.2 and
/// Vocabulary 2.2), for tools that speak ODRL; the mapping and what it cannot express are in docs/formats/odrl.md.
/// </summary>
/// <remarks>
/// The export is one-way: the signed YAML stays the source of truth, and the policy carries the agreement's digest so
/// that a reader can tell which signed version it was made from.
/// </remarks>
public static class OdrlExport
{
    /// <summary>The ODRL 2.2 JSON-LD context every policy names.</summary>
    public const string Context = "http://www.w3.org/ns/odrl.jsonld";

    // Concordat's actions as ODRL actions: reading rows is `read`, an aggregate query `aggregate`, a snapshot `reproduce` (a copy).
    private static readonly Dictionary<DataAction, string> s_actions = new()
    {
        [DataAction.ReadRows] = "read",
        [DataAction.AggregateQuery] = "aggregate",
        [DataAction.DownloadSnapshot] = "reproduce",
    };

    /// <summary>Exports <paramref name="agreement"/>.</summary>
    /// <param name="agreement">A validated agreement.</param>
    /// <returns>The policy and what it does not express.</returns>
    public static OdrlPolicy Export(Agreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        var notExpressed = new List<string>();
        var permissions = new JsonArray();
        foreach (var grant in agreement.Grants)
        {
            foreach (var dataset in Datasets(agreement, grant.Datasets, grant.Collections))
            {
                foreach (var recipient in ClauseScope.Parties(agreement, [grant.Recipient], grant.Groups))
                {
                    permissions.Add(Permission(agreement, grant, dataset, recipient));
                }
            }

            Unexpressed(grant, notExpressed);
        }

        var prohibitions = new JsonArray();
        foreach (var prohibition in agreement.Prohibitions)
        {
            if (prohibition.Reidentification)
            {
                notExpressed.Add($"prohibition `{prohibition.Id}`: re-identification has no ODRL action; the policy does not forbid it");
            }

            if (prohibition.JoinWith.Count > 0)
            {
                notExpressed.Add($"prohibition `{prohibition.Id}`: `joinWith` has no ODRL counterpart");
            }

            if (prohibition.When is not null || prohibition.Unless is not null)
            {
                notExpressed.Add($"prohibition `{prohibition.Id}`: its `when`/`unless` condition has no ODRL counterpart; the policy forbids unconditionally");
            }

            if (prohibition.Sensitivities.Count > 0)
            {
                notExpressed.Add($"prohibition `{prohibition.Id}`: sensitivity levels are expressed by listing the datasets that have them");
            }

            // A prohibition of re-identification or joins alone forbids nothing ODRL can name: it is only noted above.
            var recordedOnly = (prohibition.Reidentification || prohibition.JoinWith.Count > 0)
                && prohibition.Purposes.Count == 0 && prohibition.Jurisdictions.Count == 0 && prohibition.Actions.Count == 0;
            if (recordedOnly)
            {
                continue;
            }

            var datasets = Datasets(agreement, prohibition.Datasets, prohibition.Collections, all: true)
                .Where(d => prohibition.Sensitivities.Count == 0 || prohibition.Sensitivities.Contains(agreement.Datasets.First(x => x.Id == d).Tags.Sensitivity));
            foreach (var dataset in datasets)
            {
                foreach (var recipient in Recipients(agreement, prohibition.Recipients, prohibition.Groups))
                {
                    prohibitions.Add(Prohibition(agreement, prohibition, dataset, recipient));
                }
            }
        }

        var policy = new JsonObject
        {
            ["@context"] = Context,
            ["@type"] = "Agreement",
            ["uid"] = $"urn:concordat:agreement:{agreement.Id}:{agreement.Version.ToString(CultureInfo.InvariantCulture)}",
            ["dct:title"] = agreement.Title,
            ["dct:identifier"] = AgreementDigest.Compute(agreement).ToString(),
            ["conflict"] = "prohibit",
            ["permission"] = permissions,
        };
        if (prohibitions.Count > 0)
        {
            policy["prohibition"] = prohibitions;
        }

        if (agreement.BreachNotificationHours is not null)
        {
            notExpressed.Add("`breachNotificationHours`: a duty on a breach is an event ODRL cannot condition on");
        }

        if (agreement.Retention?.DeletionAttestationDays is not null)
        {
            notExpressed.Add("`retention.deletionAttestationDays`: the deadline to attest deletion has no ODRL counterpart; the `delete` duty carries `daysAfterEgress` only");
        }

        if (agreement.Incidents is not null)
        {
            notExpressed.Add("`incidents`: auto-seal alerts, vulnerability response hours and incident service levels are acts on an incident, not rules on an action");
        }

        if (agreement.Parties.Any(p => p.DataRoles.Count > 0))
        {
            notExpressed.Add("parties' `dataRoles`: an ODRL assigner or assignee carries no controller or processor role");
        }

        if (agreement.Diligence.Count > 0)
        {
            notExpressed.Add("`diligence`: a due-diligence record a party must hold is a condition on the agreement's coming into force, not on an action");
        }

        notExpressed.Add("signatures, approvers, termination, audit, publication, IP and liability terms: outside ODRL's rules; the signed YAML holds them");
        return new OdrlPolicy(policy, notExpressed);
    }

    /// <summary>The party IRI ODRL names a party by.</summary>
    public static string PartyUid(PartyId party) => $"urn:concordat:party:{party}";

    /// <summary>The asset IRI ODRL names a dataset by, within its agreement.</summary>
    public static string DatasetUid(Agreement agreement, DatasetId dataset) => $"urn:concordat:dataset:{agreement?.Id}:{dataset}";

    /// <summary>The IRI of a purpose of the agreement's vocabulary.</summary>
    public static string PurposeUid(Agreement agreement, PurposeId purpose) => $"urn:concordat:purpose:{agreement?.Id}:{purpose}";

    private static JsonObject Permission(Agreement agreement, Grant grant, DatasetId dataset, PartyId recipient)
    {
        var permission = Rule(agreement, grant.Id, dataset, recipient, grant.Actions);
        var constraints = Constraints(agreement, grant.Purposes, grant.Jurisdictions);
        var window = grant.Window ?? agreement.Effective;
        constraints.Add(Constraint("dateTime", "gteq", DateTime(window.From)));
        if (window.Until is { } until)
        {
            constraints.Add(Constraint("dateTime", "lt", DateTime(until)));
        }

        permission["constraint"] = constraints;
        var duties = new JsonArray();
        foreach (var rule in grant.FieldRules.Where(r => r.Kind != FieldRuleKind.Allow))
        {
            // Dropping a field is deleting it from what leaves; masking, pseudonymising and generalising anonymise it.
            duties.Add(new JsonObject
            {
                ["action"] = rule.Kind == FieldRuleKind.Drop ? "delete" : "anonymize",
                ["target"] = $"{DatasetUid(agreement, dataset)}#{rule.Field}",
            });
        }

        if (grant.RowRules?.RequireConsent == true)
        {
            duties.Add(new JsonObject { ["action"] = "obtainConsent" });
        }

        if (agreement.Retention is { } retention)
        {
            duties.Add(new JsonObject
            {
                ["action"] = "delete",
                ["target"] = DatasetUid(agreement, dataset),
                ["constraint"] = new JsonArray(Constraint("elapsedTime", "lteq", new JsonObject { ["@value"] = IsoDuration.Format(TimeSpan.FromDays(retention.DaysAfterEgress)), ["@type"] = "xsd:duration" })),
            });
        }

        if (duties.Count > 0)
        {
            permission["duty"] = duties;
        }

        return permission;
    }

    private static JsonObject Prohibition(Agreement agreement, Prohibition prohibition, DatasetId dataset, PartyId recipient)
    {
        var rule = Rule(agreement, prohibition.Id, dataset, recipient, prohibition.Actions.Count > 0 ? prohibition.Actions : Enum.GetValues<DataAction>());
        var constraints = Constraints(agreement, prohibition.Purposes, prohibition.Jurisdictions);
        if (constraints.Count > 0)
        {
            rule["constraint"] = constraints;
        }

        return rule;
    }

    private static JsonObject Rule(Agreement agreement, ClauseId clause, DatasetId dataset, PartyId recipient, IEnumerable<DataAction> actions)
    {
        var owner = agreement.Datasets.FirstOrDefault(d => d.Id == dataset)?.Owner;
        var rule = new JsonObject
        {
            ["uid"] = $"urn:concordat:clause:{agreement.Id}:{agreement.Version.ToString(CultureInfo.InvariantCulture)}:{clause}:{dataset}:{recipient}",
            ["target"] = DatasetUid(agreement, dataset),
            ["assignee"] = PartyUid(recipient),
            ["action"] = new JsonArray([.. actions.Distinct().Order().Select(a => (JsonNode)JsonValue.Create(s_actions[a]))]),
        };
        if (owner is { } assigner)
        {
            rule["assigner"] = PartyUid(assigner);
        }

        return rule;
    }

    private static JsonArray Constraints(Agreement agreement, IReadOnlyList<PurposeId> purposes, IReadOnlyList<Jurisdiction> jurisdictions)
    {
        var constraints = new JsonArray();
        if (purposes.Count > 0)
        {
            // A purpose covers its narrower purposes, so the list names each of them too.
            var tree = new Agreements.Reading.PurposeTree(agreement.Purposes);
            var covered = purposes.Concat(agreement.Purposes.Select(p => p.Id).Where(n => purposes.Any(b => tree.Covers(b, n)))).Distinct().OrderBy(p => p.Value, StringComparer.Ordinal);
            constraints.Add(Constraint("purpose", "isAnyOf", new JsonArray([.. covered.Select(p => (JsonNode)new JsonObject { ["@id"] = PurposeUid(agreement, p) })])));
        }

        if (jurisdictions.Count > 0)
        {
            constraints.Add(Constraint("spatial", "isAnyOf", new JsonArray([.. Jurisdiction.ExpandGroups(jurisdictions).Select(j => (JsonNode)JsonValue.Create(j.Value))])));
        }

        return constraints;
    }

    private static JsonObject Constraint(string leftOperand, string @operator, JsonNode rightOperand) => new()
    {
        ["leftOperand"] = leftOperand,
        ["operator"] = @operator,
        ["rightOperand"] = rightOperand,
    };

    private static JsonObject DateTime(DateTimeOffset instant) => new() { ["@value"] = Rfc3339.Format(instant), ["@type"] = "xsd:dateTime" };

    private static IEnumerable<DatasetId> Datasets(Agreement agreement, IReadOnlyList<DatasetId> datasets, IReadOnlyList<CollectionId> collections, bool all = false) =>
        all && datasets.Count == 0 && collections.Count == 0 ? agreement.Datasets.Select(d => d.Id) : ClauseScope.Datasets(agreement, datasets, collections);

    private static IEnumerable<PartyId> Recipients(Agreement agreement, IReadOnlyList<PartyId> recipients, IReadOnlyList<GroupId> groups) =>
        recipients.Count == 0 && groups.Count == 0
            ? agreement.Parties.Where(p => p.Roles.Contains(PartyRole.Recipient)).Select(p => p.Id)
            : ClauseScope.Parties(agreement, recipients, groups);

    private static void Unexpressed(Grant grant, List<string> notExpressed)
    {
        void Add(bool present, string what)
        {
            if (present)
            {
                notExpressed.Add($"grant `{grant.Id}`: {what}");
            }
        }

        Add(grant.When is not null, "its `when` condition has no ODRL counterpart; the permission is unconditional");
        Add(grant.Subprocessors.Count > 0, "subprocessors have no ODRL counterpart");
        Add(grant.RowRules is { Residency.Count: > 0 }, "row residency (which rows may leave) has no ODRL counterpart");
        Add(grant.RateLimit is not null, "the rate limit has no ODRL counterpart (`count` is a total, not a rate)");
        Add(grant.TokenLifetime is not null, "the token lifetime has no ODRL counterpart");
        Add(grant.MinGroupSize is not null || grant.PrivacyBudget is not null || grant.Aggregates is not null, "minimum group size, privacy budget and aggregate scope have no ODRL counterpart");
        Add(grant.FieldRules.Any(r => r.Kind is FieldRuleKind.Mask or FieldRuleKind.Pseudonymise or FieldRuleKind.Generalise), "masking, pseudonymising and generalising are all written as the duty `anonymize`");
    }
}
