using Concordat.Agreements.Conditions;
using Concordat.Core;
using Concordat.Incidents.Detection;

namespace Concordat.Agreements.Reading;

/// <summary>
/// The checks that need the whole typed agreement: ids, references and contradictions (AGR20xx).
/// </summary>
internal sealed class AgreementValidator(Binder b, Agreement a)
{
    private readonly PurposeTree _purposes = new(a.Purposes);
    private readonly Dictionary<PartyId, Party> _parties = Index(a.Parties, p => p.Id);
    private readonly Dictionary<DatasetId, DatasetDefinition> _datasets = Index(a.Datasets, d => d.Id);
    private readonly HashSet<ApproverId> _approvers = [.. a.Approvers.Select(x => x.Id)];
    private readonly HashSet<CollectionId> _collections = [.. a.Collections.Select(c => c.Id)];
    private readonly HashSet<GroupId> _groups = [.. a.Groups.Select(g => g.Id)];
    private readonly ConditionAttributes _attributes = new(a);

    public void Validate()
    {
        CheckIds();
        CheckReferences();
        CheckPurposeCycle();
        foreach (var grant in a.Grants)
        {
            CheckGrant(grant);
        }

        foreach (var prohibition in a.Prohibitions)
        {
            CheckProhibition(prohibition);
        }

        CheckConditions();
        CheckGrantedAndProhibited();
        CheckOverlappingGrants();
        CheckRetention();
        CheckForeground();
        CheckAlerts();
        CheckDiligence();
    }

    // Spec: docs/design/due-diligence.md: one requirement per party, so the age, score and assessors are never in doubt.
    private void CheckDiligence()
    {
        var seen = new HashSet<PartyId>();
        foreach (var requirement in a.Diligence)
        {
            Party(requirement.Party, requirement, "party");
            if (requirement.Party.Value.Length > 0 && !seen.Add(requirement.Party))
            {
                b.Report(AgreementDiagnosticCodes.DiligenceRequiredTwice, $"`diligence`: party `{requirement.Party}` is required twice", b.Map.SpanOf(requirement, "party"), "keep one requirement per party: the strictest age, score and the assessors trusted");
            }
        }
    }

    // Spec: docs/design/incidents.md#alert-vocabulary: an auto-seal name no detector raises would never seal.
    private void CheckAlerts()
    {
        if (a.Incidents is not { } incidents)
        {
            return;
        }

        Each(incidents.AutoSealAlerts, incidents, "autoSealAlerts", (name, span) =>
        {
            if (!AlertVocabulary.TryResolve(name, out _))
            {
                b.Report(AgreementDiagnosticCodes.UnknownAlert, $"alert `{name}` is not in the alert vocabulary", span, Known("alerts", AlertVocabulary.Names.Concat(AlertVocabulary.Aliases.Keys), name));
            }
        });
    }

    private void CheckIds()
    {
        Unique(a.Parties, p => p.Id.Value, "party");
        Unique(a.Approvers, x => x.Id.Value, "approver");
        Unique(a.Purposes, p => p.Id.Value, "purpose");
        Unique(a.Datasets, d => d.Id.Value, "dataset");
        Unique(a.Collections, c => c.Id.Value, "collection");
        Unique(a.Groups, g => g.Id.Value, "group");
        Unique(a.Attributes, d => $"{AgreementEnumText.ToText(d.Of)}.{d.Name}", "attribute");
        Unique(a.Grants.Cast<object>().Concat(a.Prohibitions), c => c is Grant g ? g.Id.Value : ((Prohibition)c).Id.Value, "clause");
        foreach (var dataset in a.Datasets)
        {
            Unique(dataset.Fields, f => f.Name.Value, $"field of dataset `{dataset.Id}`");
        }

        // Invariant: a signer id names exactly one party or approver, so a signature cannot count twice.
        foreach (var approver in a.Approvers.Where(x => _parties.ContainsKey(new PartyId(x.Id.Value))))
        {
            b.Report(AgreementDiagnosticCodes.DuplicateId, $"approver id `{approver.Id}` is also a party id", b.Map.SpanOf(approver, "id"), "give the approver an id of its own: parties and approvers sign under their ids");
        }
    }

    private void CheckReferences()
    {
        foreach (var approver in a.Approvers)
        {
            Party(approver.Party, approver, "party");
        }

        foreach (var purpose in a.Purposes)
        {
            Purpose(purpose.Broader, purpose, "broader");
        }

        foreach (var party in a.Parties)
        {
            foreach (var purpose in party.DataRoles.Keys)
            {
                Purpose(purpose, b.Map.SpanOf(party, "dataRoles"));
            }
        }

        foreach (var dataset in a.Datasets)
        {
            Party(dataset.Owner, dataset, "owner");
            Field(dataset.ConsentField, [dataset], dataset, "consentField");
            Field(dataset.ResidencyField, [dataset], dataset, "residencyField");
            Field(dataset.EntityKey, [dataset], dataset, "entityKey");
        }

        foreach (var collection in a.Collections)
        {
            Each(collection.Datasets, collection, "datasets", (id, span) => Dataset(id, span));
        }

        foreach (var group in a.Groups)
        {
            Each(group.Parties, group, "parties", (id, span) => Party(id, span));
        }

        foreach (var grant in a.Grants)
        {
            Each(grant.Collections, grant, "collections", (id, span) => Defined(id.Value, _collections.Contains(id), "collection", span));
            Each(grant.Groups, grant, "groups", (id, span) => Defined(id.Value, _groups.Contains(id), "group", span));
        }

        foreach (var prohibition in a.Prohibitions)
        {
            Each(prohibition.Collections, prohibition, "collections", (id, span) => Defined(id.Value, _collections.Contains(id), "collection", span));
            Each(prohibition.Groups, prohibition, "groups", (id, span) => Defined(id.Value, _groups.Contains(id), "group", span));
            Each(prohibition.Recipients, prohibition, "recipients", (id, span) => Party(id, span));
            Each(prohibition.Datasets, prohibition, "datasets", (id, span) => Dataset(id, span));
            Each(prohibition.JoinWith, prohibition, "joinWith", (id, span) => Dataset(id, span));
            Each(prohibition.Purposes, prohibition, "purposes", (id, span) => Purpose(id, span));
        }

        if (a.IntellectualProperty is { } ip)
        {
            foreach (var background in ip.Background)
            {
                Party(background.Party, background, "party");
            }

            Party(ip.ForegroundOwner, ip, "foregroundOwner");
        }

        foreach (var artifact in a.Artifacts.Where(x => x.ApprovedBy is not null && !_approvers.Contains(x.ApprovedBy.Value)))
        {
            b.Report(AgreementDiagnosticCodes.UndefinedApprover, $"approver `{artifact.ApprovedBy}` is not defined", b.Map.SpanOf(artifact, "approvedBy"), Known("approvers", a.Approvers.Select(x => x.Id.Value)));
        }
    }

    private void CheckPurposeCycle()
    {
        if (_purposes.FindCycle() is { } id && a.Purposes.FirstOrDefault(p => p.Id == id) is { } purpose)
        {
            b.Report(AgreementDiagnosticCodes.PurposeCycle, $"purpose `{id}` is broader than itself", b.Map.SpanOf(purpose, "broader"), "the `broader` links must form a tree: remove one link of the cycle");
        }
    }

    private void CheckGrant(Grant grant)
    {
        if (Party(grant.Recipient, grant, "recipient") is { } recipient && !recipient.Roles.Contains(PartyRole.Recipient))
        {
            b.Report(AgreementDiagnosticCodes.NotARecipient, $"grant `{grant.Id}`: party `{recipient.Id}` does not have the `recipient` role", b.Map.SpanOf(grant, "recipient"), $"add `recipient` to the roles of party `{recipient.Id}`, or grant to another party");
        }

        var datasets = new List<DatasetDefinition>();
        Each(grant.Datasets, grant, "datasets", (id, span) =>
        {
            if (Dataset(id, span) is { } dataset)
            {
                datasets.Add(dataset);
            }
        });
        Each(grant.Purposes, grant, "purposes", (id, span) => Purpose(id, span));
        Each(grant.Subprocessors, grant, "subprocessors", (id, span) =>
        {
            if (Party(id, span) is { } party && !party.Roles.Contains(PartyRole.Subprocessor) && !party.Roles.Contains(PartyRole.Processor))
            {
                b.Report(AgreementDiagnosticCodes.NotASubprocessor, $"grant `{grant.Id}`: party `{party.Id}` is neither a subprocessor nor a processor", span, $"add `subprocessor` to the roles of party `{party.Id}`");
            }
        });

        var ruled = new Dictionary<FieldName, FieldRule>();
        foreach (var rule in grant.FieldRules)
        {
            Field(rule.Field, datasets, rule, "field");
            if (ruled.TryGetValue(rule.Field, out var first))
            {
                b.Report(AgreementDiagnosticCodes.ConflictingFieldRules, $"grant `{grant.Id}`: field `{rule.Field}` has two rules, `{AgreementEnumText.ToText(first.Kind)}` and `{AgreementEnumText.ToText(rule.Kind)}`", b.Map.SpanOf(rule), $"keep one rule for `{rule.Field}`: a field is either dropped, masked, pseudonymised, generalised or allowed");
            }
            else
            {
                ruled.Add(rule.Field, rule);
            }
        }

        if (grant.RowRules is { } rows)
        {
            foreach (var dataset in datasets)
            {
                if (rows.RequireConsent && dataset.ConsentField is null)
                {
                    b.Report(AgreementDiagnosticCodes.RowRuleWithoutColumn, $"grant `{grant.Id}` requires consent per row but dataset `{dataset.Id}` names no `consentField`", b.Map.SpanOf(rows, "requireConsent"), $"add `consentField:` to dataset `{dataset.Id}`");
                }

                if (rows.Residency.Count > 0 && dataset.ResidencyField is null)
                {
                    b.Report(AgreementDiagnosticCodes.RowRuleWithoutColumn, $"grant `{grant.Id}` restricts residency per row but dataset `{dataset.Id}` names no `residencyField`", b.Map.SpanOf(rows, "residency"), $"add `residencyField:` to dataset `{dataset.Id}`");
                }
            }
        }

        if (grant.Window is { } window && !IsPlaceholder(a.Effective)
            && (window.From < a.Effective.From || (a.Effective.Until is { } end && (window.Until is null || window.Until > end))))
        {
            b.Report(AgreementDiagnosticCodes.GrantWindowOutside, $"grant `{grant.Id}`: window reaches outside the agreement's effective window", b.Map.SpanOf(grant, "window"), $"keep the window within {Rfc3339.Format(a.Effective.From)} .. {(a.Effective.Until is { } u ? Rfc3339.Format(u) : "open end")}");
        }

        if (!grant.Actions.Contains(DataAction.AggregateQuery))
        {
            if (grant.PrivacyBudget is not null)
            {
                b.Report(AgreementDiagnosticCodes.AggregateTermsWithoutAggregate, $"grant `{grant.Id}` sets a privacy budget but does not allow `aggregate-query`", b.Map.SpanOf(grant, "privacyBudget"), "add `aggregate-query` to `actions`, or remove `privacyBudget`");
            }

            if (grant.MinGroupSize is not null)
            {
                b.Report(AgreementDiagnosticCodes.AggregateTermsWithoutAggregate, $"grant `{grant.Id}` sets a minimum group size but does not allow `aggregate-query`", b.Map.SpanOf(grant, "minGroupSize"), "add `aggregate-query` to `actions`, or remove `minGroupSize`");
            }

            if (grant.Aggregates is not null)
            {
                b.Report(AgreementDiagnosticCodes.AggregateTermsWithoutAggregate, $"grant `{grant.Id}` sets `aggregates` but does not allow `aggregate-query`", b.Map.SpanOf(grant, "aggregates"), "add `aggregate-query` to `actions`, or remove `aggregates`");
            }
        }

        if (grant.Aggregates is { } scope)
        {
            CheckAggregates(grant, scope, datasets, ruled);
        }
    }

    private void CheckAggregates(Grant grant, AggregateScope scope, List<DatasetDefinition> datasets, Dictionary<FieldName, FieldRule> ruled)
    {
        Each(scope.Dimensions, scope, "dimensions", (field, span) =>
        {
            if (FieldAt(field, datasets, span) && ruled.TryGetValue(field, out var rule) && rule.Kind is not (FieldRuleKind.Allow or FieldRuleKind.Generalise))
            {
                b.Report(AgreementDiagnosticCodes.AggregateDimensionNotAllowed, $"grant `{grant.Id}`: field `{field}` cannot be a dimension: the grant's rule for it is `{AgreementEnumText.ToText(rule.Kind)}`", span, "group by a field the grant leaves as it is or generalises");
            }
        });
        Each(scope.Measures, scope, "measures", (field, span) =>
        {
            if (!FieldAt(field, datasets, span))
            {
                return;
            }

            var isInteger = datasets.SelectMany(d => d.Fields).Where(f => f.Name == field).All(f => f.Type == FieldType.Integer);
            var kept = !ruled.TryGetValue(field, out var rule) || rule.Kind == FieldRuleKind.Allow;
            if (!isInteger || !kept)
            {
                var why = !isInteger ? "it is not an integer" : $"the grant's rule for it is `{AgreementEnumText.ToText(rule!.Kind)}`";
                b.Report(AgreementDiagnosticCodes.AggregateMeasureNotAllowed, $"grant `{grant.Id}`: field `{field}` cannot be measured: {why}", span, "measure an integer field the grant leaves as it is");
            }
        });
        Each(scope.JoinKeys, scope, "joinKeys", (field, span) => FieldAt(field, datasets, span));
        if (scope.JoinDimensions.Count > 0 && scope.JoinKeys.Count == 0)
        {
            // Security: a recipient column is only ever reached through a join, so without join keys the list grants nothing.
            b.Report(AgreementDiagnosticCodes.JoinDimensionsWithoutJoin, $"grant `{grant.Id}`: `aggregates.joinDimensions` lists `{scope.JoinDimensions[0]}` but `aggregates.joinKeys` is empty, so no query can join the table it belongs to", b.Map.ItemSpan(scope, "joinDimensions", 0), "add the field to join on to `aggregates.joinKeys`, or remove `joinDimensions`");
        }

        if (scope.CanSelectPartitions && grant.PrivacyBudget is not { Delta: > 0 })
        {
            // Security: partition selection releases a group only the data has, with probability up to δ; δ = 0 allows pure DP only.
            b.Report(AgreementDiagnosticCodes.PartitionSelectionWithoutDelta, $"grant `{grant.Id}`: `aggregates.partitionSelection` needs `privacyBudget.delta` above 0, and {(grant.PrivacyBudget is null ? "the grant has no `privacyBudget`" : "it is 0")}", b.Map.SpanOf(scope, "partitionSelection"), "give `privacyBudget` a `delta` above 0 (such as `1.0e-6`), or remove `partitionSelection` and declare every dimension's domain");
        }
    }

    private void CheckProhibition(Prohibition prohibition)
    {
        if (prohibition.Recipients.Count == 0 && prohibition.Datasets.Count == 0 && prohibition.Purposes.Count == 0
            && prohibition.Jurisdictions.Count == 0 && prohibition.Sensitivities.Count == 0 && prohibition.Actions.Count == 0
            && !prohibition.Reidentification && prohibition.JoinWith.Count == 0 && prohibition.Collections.Count == 0 && prohibition.Groups.Count == 0
            && prohibition.When is null && prohibition.Unless is null)
        {
            b.Report(AgreementDiagnosticCodes.EmptyProhibition, $"prohibition `{prohibition.Id}` names no condition and would forbid everything", b.Map.SpanOf(prohibition), "say what is forbidden: `purposes`, `jurisdictions`, `recipients`, `datasets`, `actions`, `sensitivities`, `reidentification` or `joinWith`");
        }
    }

    private void CheckConditions()
    {
        foreach (var grant in a.Grants)
        {
            Check(grant.When, "when");
        }

        foreach (var prohibition in a.Prohibitions)
        {
            Check(prohibition.When, "when");
            Check(prohibition.Unless, "unless");
        }

        void Check(Condition? condition, string key)
        {
            if (condition is not null && b.Conditions.TryGetValue(condition, out var scalar))
            {
                new ConditionChecker(_attributes, (code, message, start, end) => b.Report(code, $"`{key}`: {message}", Binder.SpanIn(scalar, start, end))).Check(condition.Syntax);
            }
        }
    }

    private void Defined(string id, bool isDefined, string what, SourceSpan? span)
    {
        if (!isDefined && id.Length > 0)
        {
            var known = what == "collection" ? a.Collections.Select(c => c.Id.Value) : a.Groups.Select(g => g.Id.Value);
            b.Report(AgreementDiagnosticCodes.UndefinedCollectionOrGroup, $"{what} `{id}` is not defined", span, Known($"{what}s", known, id));
        }
    }

    private void CheckGrantedAndProhibited()
    {
        var lookup = new AttributeLookup(a);
        foreach (var grant in a.Grants)
        {
            foreach (var prohibition in a.Prohibitions)
            {
                // Invariant: only a prohibition with no narrowing condition on the request (jurisdiction, actions not all
                // covered, a condition that depends on the request) makes the grant's purpose unusable; a narrower
                // prohibition is a legitimate carve-out. Sensitivities, collections, groups and conditions on the
                // dataset and the recipient are read for each pair the grant names, so listing every level is no escape.
                if (prohibition.Purposes.Count == 0 || prohibition.Jurisdictions.Count > 0
                    || (prohibition.Actions.Count > 0 && !grant.Actions.All(prohibition.Actions.Contains)))
                {
                    continue;
                }

                var conflicts = Pairs(grant)
                    .Where(pair => Covers(prohibition, pair.Recipient, pair.Dataset)
                        && Folded(grant.When, pair, lookup) is null or Truth.True
                        && (prohibition.When is null || Folded(prohibition.When, pair, lookup) is Truth.True or Truth.Unknown)
                        && (prohibition.Unless is null || Folded(prohibition.Unless, pair, lookup) is Truth.False or Truth.Unknown))
                    .ToList();
                if (conflicts.Count == 0)
                {
                    continue;
                }

                for (var i = 0; i < grant.Purposes.Count; i++)
                {
                    var purpose = grant.Purposes[i];
                    var forbidding = prohibition.Purposes.Where(p => _purposes.Covers(p, purpose)).Select(p => (PurposeId?)p).FirstOrDefault();
                    if (forbidding is not null)
                    {
                        var (recipient, dataset) = conflicts[0];
                        b.Report(AgreementDiagnosticCodes.GrantedAndProhibited, $"grant `{grant.Id}` permits purpose `{purpose}` to `{recipient.Id}` on `{dataset.Id}` but prohibition `{prohibition.Id}` forbids `{forbidding}` there", b.Map.ItemSpan(grant, "purposes", i), $"remove `{purpose}` from grant `{grant.Id}` or narrow prohibition `{prohibition.Id}`: the prohibition always wins");
                    }
                }
            }
        }
    }

    /// <summary>The recipient and dataset pairs a grant names, directly and through groups and collections, in written order.</summary>
    private IEnumerable<(Party Recipient, DatasetDefinition Dataset)> Pairs(Grant grant)
    {
        var recipients = ClauseScope.Parties(a, [grant.Recipient], grant.Groups).Select(id => _parties.GetValueOrDefault(id)).OfType<Party>();
        var datasets = ClauseScope.Datasets(a, grant.Datasets, grant.Collections).Select(id => _datasets.GetValueOrDefault(id)).OfType<DatasetDefinition>().ToList();
        return recipients.SelectMany(r => datasets.Select(d => (r, d)));
    }

    private bool Covers(Prohibition prohibition, Party recipient, DatasetDefinition dataset) =>
        ((prohibition.Recipients.Count == 0 && prohibition.Groups.Count == 0) || prohibition.Recipients.Contains(recipient.Id)
            || a.Groups.Any(g => prohibition.Groups.Contains(g.Id) && g.Parties.Contains(recipient.Id)))
        && ((prohibition.Datasets.Count == 0 && prohibition.Collections.Count == 0) || prohibition.Datasets.Contains(dataset.Id)
            || a.Collections.Any(c => prohibition.Collections.Contains(c.Id) && c.Datasets.Contains(dataset.Id)))
        && (prohibition.Sensitivities.Count == 0 || prohibition.Sensitivities.Contains(dataset.Tags.Sensitivity));

    /// <summary>The truth of a condition on one recipient and dataset, whatever the request; null when it depends on the request (or is absent).</summary>
    private Truth? Folded(Condition? condition, (Party Recipient, DatasetDefinition Dataset) pair, AttributeLookup lookup)
    {
        if (condition is null)
        {
            return null;
        }

        if (new ConditionChecker(_attributes, static (_, _, _, _) => { }).Check(condition.Syntax) is not { } bound)
        {
            return Truth.Unknown;
        }

        var folded = ConditionFolder.Fold(bound, attribute => attribute.Subject == AttributeSubject.Dataset ? lookup.Dataset(pair.Dataset, attribute) : lookup.Recipient(pair.Recipient, attribute));
        return folded is BoundConstant constant ? constant.Value : null;
    }

    private void CheckOverlappingGrants()
    {
        for (var i = 0; i < a.Grants.Count; i++)
        {
            for (var j = i + 1; j < a.Grants.Count; j++)
            {
                var (first, second) = (a.Grants[i], a.Grants[j]);
                if (first.Recipient == second.Recipient
                    && first.Datasets.Any(second.Datasets.Contains)
                    && first.Actions.Any(second.Actions.Contains)
                    && first.Purposes.Any(p => second.Purposes.Any(q => _purposes.Overlap(p, q)))
                    && WindowsOverlap(first.Window ?? a.Effective, second.Window ?? a.Effective))
                {
                    b.Report(AgreementDiagnosticCodes.OverlappingGrants, $"grants `{first.Id}` and `{second.Id}` overlap for recipient `{first.Recipient}`", b.Map.SpanOf(second, "id"), "where grants overlap the most restrictive obligations of both apply; merge them or make them disjoint", DiagnosticSeverity.Warning);
                }
            }
        }
    }

    private void CheckRetention()
    {
        if (a.Retention is { } retention && a.Termination is { DeleteWithinDays: { } deleteWithin } && retention.DaysAfterEgress > deleteWithin)
        {
            b.Report(AgreementDiagnosticCodes.RetentionBeyondTermination, $"retention keeps data {retention.DaysAfterEgress} days after egress but termination requires deletion within {deleteWithin} days", b.Map.SpanOf(retention, "daysAfterEgress"), $"data received just before termination would outlive the deletion deadline: lower `daysAfterEgress` to at most {deleteWithin} or raise `deleteWithinDays`");
        }
    }

    private void CheckForeground()
    {
        if (a.IntellectualProperty is not { } ip)
        {
            return;
        }

        if (ip.Foreground == ForegroundOwnership.Party && ip.ForegroundOwner is null)
        {
            b.Report(AgreementDiagnosticCodes.ForegroundOwner, "foreground IP is owned by a party but `foregroundOwner` is missing", b.Map.SpanOf(ip, "foreground"), "add `foregroundOwner:` with the id of the owning party");
        }
        else if (ip.Foreground != ForegroundOwnership.Party && ip.ForegroundOwner is not null)
        {
            b.Report(AgreementDiagnosticCodes.ForegroundOwner, "`foregroundOwner` is given but foreground IP is not owned by a party", b.Map.SpanOf(ip, "foregroundOwner"), "set `foreground: party`, or remove `foregroundOwner`");
        }
    }

    private static bool WindowsOverlap(TimeWindow x, TimeWindow y) =>
        (x.Until is null || y.From < x.Until) && (y.Until is null || x.From < y.Until);

    private static bool IsPlaceholder(TimeWindow window) => window.From == DateTimeOffset.MinValue;

    private Party? Party(PartyId? id, object owner, string key) => id is null ? null : Party(id.Value, b.Map.SpanOf(owner, key));

    private Party? Party(PartyId id, SourceSpan? span)
    {
        if (id.Value.Length == 0)
        {
            return null;
        }

        if (_parties.TryGetValue(id, out var party))
        {
            return party;
        }

        b.Report(AgreementDiagnosticCodes.UndefinedParty, $"party `{id}` is not defined", span, Known("parties", _parties.Keys.Select(p => p.Value), id.Value));
        return null;
    }

    private DatasetDefinition? Dataset(DatasetId id, SourceSpan? span)
    {
        if (_datasets.TryGetValue(id, out var dataset))
        {
            return dataset;
        }

        b.Report(AgreementDiagnosticCodes.UndefinedDataset, $"dataset `{id}` is not defined", span, Known("datasets", _datasets.Keys.Select(d => d.Value), id.Value));
        return null;
    }

    private void Purpose(PurposeId? id, object owner, string key)
    {
        if (id is not null)
        {
            Purpose(id.Value, b.Map.SpanOf(owner, key));
        }
    }

    private void Purpose(PurposeId id, SourceSpan? span)
    {
        if (!_purposes.IsDefined(id))
        {
            b.Report(AgreementDiagnosticCodes.UndefinedPurpose, $"purpose `{id}` is not defined", span, Known("purposes", a.Purposes.Select(p => p.Id.Value), id.Value) + "; purposes are declared under `purposes:`, never free text");
        }
    }

    private void Field(FieldName? name, List<DatasetDefinition> datasets, object owner, string key) => FieldAt(name, datasets, b.Map.SpanOf(owner, key));

    /// <summary>Reports a field that none of <paramref name="datasets"/> defines; returns whether it is defined.</summary>
    private bool FieldAt(FieldName? name, List<DatasetDefinition> datasets, SourceSpan? span)
    {
        if (name is null || name.Value.Value.Length == 0 || datasets.Count == 0 || datasets.Any(d => d.Fields.Any(f => f.Name == name.Value)))
        {
            return name is { Value.Length: > 0 } && datasets.Count > 0;
        }

        var fields = datasets.SelectMany(d => d.Fields).Select(f => f.Name.Value).Distinct();
        b.Report(AgreementDiagnosticCodes.UndefinedField, $"field `{name}` is not defined in dataset {string.Join(", ", datasets.Select(d => $"`{d.Id}`"))}", span, Known("fields", fields, name.Value.Value));
        return false;
    }

    private void Each<T>(IReadOnlyList<T> items, object owner, string key, Action<T, SourceSpan?> check)
    {
        for (var i = 0; i < items.Count; i++)
        {
            check(items[i], b.Map.ItemSpan(owner, key, i));
        }
    }

    private void Unique<T>(IEnumerable<T> items, Func<T, string> id, string what)
        where T : class
    {
        var seen = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var key = id(item);
            if (key.Length == 0)
            {
                continue;
            }

            if (seen.TryGetValue(key, out var first))
            {
                var firstLine = b.Map.SpanOf(first)?.Line;
                b.Report(AgreementDiagnosticCodes.DuplicateId, $"{what} id `{key}` is used twice", b.Map.SpanOf(item, item is FieldDefinition ? "name" : "id"), firstLine is null ? "give each one its own id" : $"the first is at line {firstLine}; give each one its own id");
            }
            else
            {
                seen.Add(key, item);
            }
        }
    }

    private static string Known(string what, IEnumerable<string> ids, string? given = null)
    {
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return $"no {what} are defined";
        }

        return given is not null && Suggestions.Closest(given, list) is { } closest
            ? $"did you mean `{closest}`? defined {what}: {string.Join(", ", list.Select(x => $"`{x}`"))}"
            : $"defined {what}: {string.Join(", ", list.Select(x => $"`{x}`"))}";
    }

    private static Dictionary<TKey, TValue> Index<TKey, TValue>(IEnumerable<TValue> items, Func<TValue, TKey> key)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, TValue>();
        foreach (var item in items)
        {
            index.TryAdd(key(item), item);
        }

        return index;
    }
}
