using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>
/// A naive evaluator that walks every clause of every agreement for each request, written straight from
/// docs/design/decisions.md. It is slow on purpose and shares no code with the compiled index except the
/// obligation merge, so the two can be checked against each other (cedar differential testing).
/// </summary>
public sealed class ReferenceEvaluator(IReadOnlyList<PolicyAgreement> agreements)
{
    private static readonly string[] s_eu =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    private static readonly Dictionary<string, string[]> s_groups = new()
    {
        ["EU"] = s_eu,
        ["EEA"] = [.. s_eu, "IS", "LI", "NO"],
    };

    // What each identity role may do, written out from docs/design/decisions.md (not read from the library's table).
    private static readonly Dictionary<IdentityRole, DataAction[]> s_roleActions = new()
    {
        [IdentityRole.Ingestion] = [],
        [IdentityRole.Training] = [DataAction.ReadRows, DataAction.DownloadSnapshot],
        [IdentityRole.Deployment] = [DataAction.AggregateQuery],
        [IdentityRole.Analysis] = [DataAction.ReadRows, DataAction.AggregateQuery],
    };

    public ReferenceDecision? Decide(DecisionRequest request)
    {
        if (request.Recipient.Value is null || request.Dataset.Value is null || request.Purpose.Value is null || request.Jurisdiction.Value is null || !Enum.IsDefined(request.Action)
            || (request.Role is { } undefined && !s_roleActions.ContainsKey(undefined)))
        {
            return null;
        }

        if (request.Role is { } role && !s_roleActions[role].Contains(request.Action))
        {
            return Deny([new Reason(ReasonCode.RoleNotPermitted)], []);
        }

        var reasons = new List<Reason>();
        if (!agreements.Any(a => a.Agreement.Parties.Any(p => p.Id == request.Recipient)))
        {
            reasons.Add(new Reason(ReasonCode.UnknownRecipient));
        }

        if (!agreements.Any(a => a.Agreement.Datasets.Any(d => d.Id == request.Dataset)))
        {
            reasons.Add(new Reason(ReasonCode.UnknownDataset));
        }

        if (!agreements.Any(a => a.Agreement.Purposes.Any(p => p.Id == request.Purpose)))
        {
            reasons.Add(new Reason(ReasonCode.UnknownPurpose));
        }

        if (reasons.Count > 0)
        {
            return Deny(reasons, []);
        }

        var covering = agreements.Where(a => a.Agreement.Parties.Any(p => p.Id == request.Recipient && p.Roles.Contains(PartyRole.Recipient)) && a.Agreement.Datasets.Any(d => d.Id == request.Dataset)).ToList();
        if (covering.Count == 0)
        {
            return Deny([new Reason(ReasonCode.NotPermittedByAnyGrant)], []);
        }

        var inForce = covering.Where(a => a.IsInForce).ToList();
        if (inForce.Count == 0)
        {
            return Deny([.. covering.Select(a => new Reason(ReasonCode.AgreementNotInForce, a.Agreement.Id))], [.. covering.Select(Reference)]);
        }

        if (inForce.Count > 1)
        {
            return Deny([.. inForce.Skip(1).Select(a => new Reason(ReasonCode.ConflictingAgreements, inForce[0].Agreement.Id, null, a.Agreement.Id))], [.. inForce.Select(Reference)]);
        }

        var governing = inForce[0];
        var id = governing.Agreement.Id;
        if (!governing.Agreement.Effective.Contains(request.Time))
        {
            return Deny([new Reason(ReasonCode.OutsideWindow, id)], [Reference(governing)]);
        }

        var forbidding = governing.Agreement.Prohibitions.Where(p => Forbids(governing.Agreement, p, request)).ToList();
        var agreement = governing.Agreement;
        var dataset = agreement.Datasets.First(d => d.Id == request.Dataset);
        var recipient = agreement.Parties.First(p => p.Id == request.Recipient);
        if (forbidding.Count > 0)
        {
            return Deny([.. forbidding.Select(p => new Reason(ReasonCode.ForbiddenByClause, id, p.Id))], [Reference(governing)]) with
            {
                Attributes = Read(agreement, dataset, recipient, forbidding.SelectMany(p => new[] { p.When, p.Unless })),
            };
        }

        var permitting = new List<Grant>();
        var failures = new List<Reason>();
        var unmet = new List<Grant>();
        foreach (var grant in agreement.Grants.Where(g => Names(agreement, g.Recipient, [], g.Groups, request.Recipient) && Names(agreement, g.Datasets, g.Collections, request.Dataset)))
        {
            if (!grant.Actions.Contains(request.Action) || !grant.Purposes.Any(p => IsSameOrNarrower(governing.Agreement, request.Purpose, p)))
            {
                continue;
            }

            if (!(grant.Window ?? governing.Agreement.Effective).Contains(request.Time))
            {
                failures.Add(new Reason(ReasonCode.OutsideWindow, id, grant.Id));
            }
            else if (grant.Jurisdictions.Count > 0 && !Permits(grant.Jurisdictions, request.Jurisdiction.Value))
            {
                failures.Add(new Reason(ReasonCode.JurisdictionNotPermitted, id, grant.Id));
            }
            else if (request.Subprocessor is { } sub && !grant.Subprocessors.Contains(sub))
            {
                failures.Add(new Reason(ReasonCode.SubprocessorNotPermitted, id, grant.Id));
            }
            else if (grant.When is { } when && ReferenceConditions.Evaluate(when, agreement, dataset, recipient, request) != 2)
            {
                failures.Add(new Reason(ReasonCode.ConditionNotMet, id, grant.Id));
                unmet.Add(grant);
            }
            else
            {
                permitting.Add(grant);
            }
        }

        if (permitting.Count > 0)
        {
            return new ReferenceDecision(
                Effect.Permit,
                [.. permitting.Select(g => new Reason(ReasonCode.PermittedByGrant, id, g.Id))],
                ObligationsMerger.Merge(permitting),
                [Reference(governing)])
            {
                Attributes = Read(agreement, dataset, recipient, permitting.Select(g => g.When)),
            };
        }

        return failures.Count > 0
            ? Deny(failures, [Reference(governing)]) with { Attributes = Read(agreement, dataset, recipient, unmet.Select(g => g.When)) }
            : Deny([new Reason(ReasonCode.NotPermittedByAnyGrant, id)], [Reference(governing)]);
    }

    private static bool Forbids(Agreement agreement, Prohibition prohibition, DecisionRequest request)
    {
        var conductOnly = prohibition.Purposes.Count == 0 && prohibition.Jurisdictions.Count == 0 && prohibition.Sensitivities.Count == 0
            && prohibition.Actions.Count == 0 && (prohibition.Reidentification || prohibition.JoinWith.Count > 0);
        var dataset = agreement.Datasets.FirstOrDefault(d => d.Id == request.Dataset);
        var recipient = agreement.Parties.FirstOrDefault(p => p.Id == request.Recipient);
        return !conductOnly
            && dataset is not null
            && recipient is not null
            && ((prohibition.Recipients.Count == 0 && prohibition.Groups.Count == 0) || Names(agreement, null, prohibition.Recipients, prohibition.Groups, request.Recipient))
            && ((prohibition.Datasets.Count == 0 && prohibition.Collections.Count == 0) || Names(agreement, prohibition.Datasets, prohibition.Collections, request.Dataset))
            && (prohibition.When is null || ReferenceConditions.Evaluate(prohibition.When, agreement, dataset, recipient, request) != 0)
            && (prohibition.Unless is null || ReferenceConditions.Evaluate(prohibition.Unless, agreement, dataset, recipient, request) != 2)
            && (prohibition.Sensitivities.Count == 0 || prohibition.Sensitivities.Contains(dataset.Tags.Sensitivity))
            && (prohibition.Actions.Count == 0 || prohibition.Actions.Contains(request.Action))
            && (prohibition.Purposes.Count == 0 || prohibition.Purposes.Any(p => IsSameOrNarrower(agreement, request.Purpose, p)))
            && (prohibition.Jurisdictions.Count == 0 || Overlaps(prohibition.Jurisdictions, request.Jurisdiction.Value));
    }

    private static bool Names(Agreement agreement, PartyId? single, IReadOnlyList<PartyId> listed, IReadOnlyList<GroupId> groups, PartyId party) =>
        single == party || listed.Contains(party) || agreement.Groups.Any(g => groups.Contains(g.Id) && g.Parties.Contains(party));

    private static bool Names(Agreement agreement, IReadOnlyList<DatasetId> listed, IReadOnlyList<CollectionId> collections, DatasetId dataset) =>
        listed.Contains(dataset) || agreement.Collections.Any(c => collections.Contains(c.Id) && c.Datasets.Contains(dataset));

    // Walks up the broader chain of the request's purpose, at most once round the vocabulary.
    private static bool IsSameOrNarrower(Agreement agreement, PurposeId purpose, PurposeId listed)
    {
        PurposeId? current = purpose;
        for (var steps = 0; current is { } c && steps <= agreement.Purposes.Count; steps++)
        {
            if (c == listed)
            {
                return true;
            }

            current = agreement.Purposes.FirstOrDefault(p => p.Id == c)?.Broader;
        }

        return false;
    }

    private static bool Covers(IReadOnlyList<Jurisdiction> listed, string code) =>
        listed.Any(l => l.Value == code || (s_groups.TryGetValue(l.Value, out var members) && members.Contains(code)));

    private static bool Permits(IReadOnlyList<Jurisdiction> listed, string code) =>
        Covers(listed, code) || (s_groups.TryGetValue(code, out var members) && members.All(m => Covers(listed, m)));

    private static bool Overlaps(IReadOnlyList<Jurisdiction> listed, string code) =>
        Covers(listed, code) || (s_groups.TryGetValue(code, out var members) && members.Any(m => Covers(listed, m)));

    // The attributes a decision names: every dataset and recipient attribute the deciding clauses' conditions
    // mention, once each, ordered by name; the request's own attributes are in the request.
    private static AttributeValue[] Read(Agreement agreement, DatasetDefinition dataset, Party recipient, IEnumerable<Condition?> conditions) =>
        [.. conditions.OfType<Condition>()
            .SelectMany(c => ReferenceConditions.Read(c, agreement, dataset, recipient))
            .DistinctBy(a => a.Attribute)
            .OrderBy(a => a.Attribute, StringComparer.Ordinal)];

    private static AgreementReference Reference(PolicyAgreement entry) => new(entry.Agreement.Id, entry.Agreement.Version, entry.Digest);

    private static ReferenceDecision Deny(IReadOnlyList<Reason> reasons, IReadOnlyList<AgreementReference> references) =>
        new(Effect.Deny, reasons, Obligations.None, references);
}
