using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// The changes between two versions clause by clause: grants and prohibitions matched by clause id, then the
/// agreement's other terms. Each change is classed by what it does on its own; the engine's verdict on the whole
/// (<see cref="AgreementDiff.GrantsMore"/>) is what decides whether the new version grants more.
/// </summary>
internal sealed class ClauseChanges
{
    private readonly List<AgreementChange> _changes = [];

    // What each neutral change is about (`party:ID`, `dataset:ID`, `purpose:ID`, `clause:ID`, or `any`), so that a witness of the
    // verdict that involves it can class it (Implicate).
    private readonly Dictionary<int, HashSet<string>> _subjects = [];

    public IReadOnlyList<AgreementChange> All => _changes;

    /// <summary>
    /// Classes the changes that <paramref name="witness"/> involves as <paramref name="change"/>: a neutral change whose
    /// effect depends on the rest (a condition, an attribute value, a group's members) when the request is about its
    /// party, dataset, purpose or clause; and, for a widening, a grant narrowed or removed that permitted the request
    /// before and no longer does, since its obligations no longer apply to it. A widening is never classed otherwise.
    /// </summary>
    public void Implicate(DiffWitness witness, ChangeClass change)
    {
        var request = witness.Request;
        var subjects = new HashSet<string>(StringComparer.Ordinal) { "any", $"party:{request.Recipient}", $"dataset:{request.Dataset}", $"purpose:{request.Purpose}" };
        if (request.Subprocessor is { } subprocessor)
        {
            subjects.Add($"party:{subprocessor}");
        }

        foreach (var reason in witness.Before.Reasons.Concat(witness.After.Reasons))
        {
            if (reason.Clause is { } clause)
            {
                subjects.Add($"clause:{clause}");
            }
        }

        var dropped = change == ChangeClass.Widening
            ? Permitting(witness.Before).Except(Permitting(witness.After)).Select(c => $"clause:{c}").ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var (index, about) in _subjects.ToList())
        {
            var was = _changes[index];
            if (was.Class == ChangeClass.Neutral ? about.Overlaps(subjects) : was.Class == ChangeClass.Narrowing && about.Overlaps(dropped))
            {
                var shown = change == ChangeClass.Widening ? "grants more" : "grants less";
                _changes[index] = was with { Class = change, Description = $"{was.Description} (the verdict's witness shows it {shown})" };
                _subjects.Remove(index);
            }
        }

        static IEnumerable<string> Permitting(Decision decision) =>
            decision.Reasons.Where(r => r.Code == ReasonCode.PermittedByGrant && r.Clause is not null).Select(r => r.Clause!.Value.Value);
    }

    public void Compare(Agreement before, Agreement after)
    {
        Matched(before.Grants, after.Grants, g => g.Id.Value, "grant", Grant);
        Matched(before.Prohibitions, after.Prohibitions, p => p.Id.Value, "prohibition", Prohibition);
        Terms(before, after);
    }

    /// <summary>Clauses matched by id: added and removed ones, then each pair compared.</summary>
    private void Matched<T>(IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> id, string kind, Action<T, T> compare)
    {
        var isGrant = kind == "grant";
        foreach (var clause in after.Where(a => before.All(b => id(b) != id(a))))
        {
            Add(isGrant ? ChangeClass.Widening : ChangeClass.Narrowing, id(clause), kind, $"{kind} `{id(clause)}` added");
        }

        foreach (var clause in before.Where(b => after.All(a => id(a) != id(b))))
        {
            Add(isGrant ? ChangeClass.Narrowing : ChangeClass.Widening, id(clause), kind, $"{kind} `{id(clause)}` removed", isGrant ? [$"clause:{id(clause)}"] : null);
        }

        foreach (var old in before)
        {
            if (after.FirstOrDefault(a => id(a) == id(old)) is { } @new)
            {
                compare(old, @new);
            }
        }
    }

    private void Grant(Grant old, Grant @new)
    {
        var clause = old.Id.Value;
        var first = _changes.Count;
        GrantTerms(old, @new);

        // A grant narrowed may stop permitting a request another grant still permits, with weaker obligations.
        for (var i = first; i < _changes.Count; i++)
        {
            if (_changes[i].Class == ChangeClass.Narrowing)
            {
                _subjects.TryAdd(i, [$"clause:{clause}"]);
            }
        }
    }

    private void GrantTerms(Grant old, Grant @new)
    {
        var clause = old.Id.Value;
        if (old.Recipient != @new.Recipient)
        {
            Add(ChangeClass.Widening, clause, "recipient", $"recipient `{old.Recipient}` became `{@new.Recipient}`");
        }

        Members(clause, "groups", old.Groups, @new.Groups, whatMore: ChangeClass.Widening);
        Members(clause, "datasets", old.Datasets, @new.Datasets, whatMore: ChangeClass.Widening);
        Members(clause, "collections", old.Collections, @new.Collections, whatMore: ChangeClass.Widening);
        Members(clause, "purposes", old.Purposes, @new.Purposes, whatMore: ChangeClass.Widening);
        Members(clause, "actions", old.Actions, @new.Actions, whatMore: ChangeClass.Widening);
        Members(clause, "subprocessors", old.Subprocessors, @new.Subprocessors, whatMore: ChangeClass.Widening);
        EmptyMeansAll(clause, "jurisdictions", old.Jurisdictions, @new.Jurisdictions, whatMore: ChangeClass.Widening);
        Window(clause, old.Window, @new.Window);
        foreach (var field in old.FieldRules.Select(r => r.Field).Concat(@new.FieldRules.Select(r => r.Field)).Distinct())
        {
            var was = old.FieldRules.FirstOrDefault(r => r.Field == field);
            var now = @new.FieldRules.FirstOrDefault(r => r.Field == field);
            if (!Equals(was, now))
            {
                Add(Strictness.AtLeastAsStrict(was, now) ? ChangeClass.Narrowing : ChangeClass.Widening, clause, $"field {field}", $"field `{field}`: {Rule(was)} became {Rule(now)}");
            }
        }

        if ((old.RowRules?.RequireConsent ?? false) != (@new.RowRules?.RequireConsent ?? false))
        {
            Add(@new.RowRules?.RequireConsent == true ? ChangeClass.Narrowing : ChangeClass.Widening, clause, "consent", @new.RowRules?.RequireConsent == true ? "consent now required" : "consent no longer required");
        }

        var oldResidency = old.RowRules is { Residency.Count: > 0 } r1 ? r1.Residency : null;
        var newResidency = @new.RowRules is { Residency.Count: > 0 } r2 ? r2.Residency : null;
        if (!SameSet(oldResidency ?? [], newResidency ?? []))
        {
            Add(Strictness.Within(oldResidency, newResidency) ? ChangeClass.Narrowing : ChangeClass.Widening, clause, "residency", $"row residency {List(oldResidency, "none")} became {List(newResidency, "none")}");
        }

        Cap(clause, "token lifetime", old.TokenLifetime, @new.TokenLifetime, Strictness.AtMost(old.TokenLifetime, @new.TokenLifetime), t => IsoDurationText(t));
        Cap(clause, "rate limit", old.RateLimit, @new.RateLimit, Strictness.AtMost(old.RateLimit, @new.RateLimit), r => $"{r.Requests} per {IsoDurationText(r.Period)}");
        Cap(clause, "minimum group size", old.MinGroupSize, @new.MinGroupSize, Strictness.AtLeast(old.MinGroupSize, @new.MinGroupSize), m => m.ToString(CultureInfo.InvariantCulture));
        Cap(clause, "privacy budget", old.PrivacyBudget, @new.PrivacyBudget, Strictness.AtMost(old.PrivacyBudget, @new.PrivacyBudget), BudgetText);
        Aggregates(clause, old.Aggregates, @new.Aggregates);
        Condition(clause, "when", old.When, @new.When, removedClass: ChangeClass.Widening);
    }

    /// <summary>What aggregate queries may use: none (the grant does not say) allows any dimension and measure the grant lets through.</summary>
    private void Aggregates(string clause, AggregateScope? old, AggregateScope? @new)
    {
        if (Equals(old, @new) || (old is not null && @new is not null && SameScope(old, @new)))
        {
            return;
        }

        if (old is null || @new is null)
        {
            var change = !Strictness.AtLeastAsStrict(old, @new) ? ChangeClass.Widening : !Strictness.AtLeastAsStrict(@new, old) ? ChangeClass.Narrowing : ChangeClass.Neutral;
            Add(change, clause, "aggregates", old is null ? "`aggregates` added: queries may use only what it lists" : "`aggregates` removed: queries may group by and measure any field the grant lets through");
            return;
        }

        EmptyMeansAll(clause, "aggregate dimensions", old.Dimensions, @new.Dimensions, whatMore: ChangeClass.Widening);
        EmptyMeansAll(clause, "aggregate measures", old.Measures, @new.Measures, whatMore: ChangeClass.Widening);
        Members(clause, "join keys", old.JoinKeys, @new.JoinKeys, whatMore: ChangeClass.Widening);
        Members(clause, "join dimensions", old.JoinDimensions, @new.JoinDimensions, whatMore: ChangeClass.Widening);
        Cap(clause, "max groups per entity", old.MaxGroupsPerEntity, @new.MaxGroupsPerEntity, Strictness.AtMost(old.MaxGroupsPerEntity, @new.MaxGroupsPerEntity), m => m.ToString(CultureInfo.InvariantCulture));
        Cap(clause, "max rows per group", old.MaxRowsPerGroup, @new.MaxRowsPerGroup, Strictness.AtMost(old.MaxRowsPerGroup, @new.MaxRowsPerGroup), m => m.ToString(CultureInfo.InvariantCulture));
        if (old.CanSelectPartitions != @new.CanSelectPartitions)
        {
            Add(@new.CanSelectPartitions ? ChangeClass.Widening : ChangeClass.Narrowing, clause, "partition selection", @new.CanSelectPartitions ? "partition selection now allowed: group keys may come from the data" : "partition selection no longer allowed: group keys must be declared");
        }
    }

    // Records compare lists by reference: two scopes read from two documents are the same when their contents are.
    private static bool SameScope(AggregateScope a, AggregateScope b) =>
        a.Dimensions.SequenceEqual(b.Dimensions) && a.Measures.SequenceEqual(b.Measures) && a.JoinKeys.SequenceEqual(b.JoinKeys) && a.JoinDimensions.SequenceEqual(b.JoinDimensions)
        && a.MaxGroupsPerEntity == b.MaxGroupsPerEntity && a.MaxRowsPerGroup == b.MaxRowsPerGroup && a.CanSelectPartitions == b.CanSelectPartitions;

    private void Prohibition(Prohibition old, Prohibition @new)
    {
        var clause = old.Id.Value;

        // An empty list means every value, so a prohibition covers more when a list grows or empties.
        EmptyMeansAll(clause, "recipients", old.Recipients, @new.Recipients, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "groups", old.Groups, @new.Groups, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "datasets", old.Datasets, @new.Datasets, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "collections", old.Collections, @new.Collections, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "purposes", old.Purposes, @new.Purposes, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "jurisdictions", old.Jurisdictions, @new.Jurisdictions, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "sensitivities", old.Sensitivities, @new.Sensitivities, whatMore: ChangeClass.Narrowing);
        EmptyMeansAll(clause, "actions", old.Actions, @new.Actions, whatMore: ChangeClass.Narrowing);
        if (old.Reidentification != @new.Reidentification)
        {
            Add(@new.Reidentification ? ChangeClass.Narrowing : ChangeClass.Widening, clause, "reidentification", @new.Reidentification ? "re-identification now forbidden" : "re-identification no longer forbidden");
        }

        Members(clause, "joinWith", old.JoinWith, @new.JoinWith, whatMore: ChangeClass.Narrowing);
        Condition(clause, "when", old.When, @new.When, removedClass: ChangeClass.Narrowing);
        Condition(clause, "unless", old.Unless, @new.Unless, removedClass: ChangeClass.Narrowing);
    }

    /// <summary>The agreement's terms outside grants and prohibitions.</summary>
    private void Terms(Agreement old, Agreement @new)
    {
        if (old.Effective != @new.Effective)
        {
            var longer = @new.Effective.From <= old.Effective.From && (@new.Effective.Until is null || (old.Effective.Until is { } until && @new.Effective.Until >= until));
            Add(longer ? ChangeClass.Widening : ChangeClass.Narrowing, "effective", "window", $"effective {WindowText(old.Effective)} became {WindowText(@new.Effective)}");
        }

        var was = AgreementJson.ToJson(old);
        var now = AgreementJson.ToJson(@new);
        foreach (var section in (string[])["parties", "approvers", "datasets", "purposes", "collections", "groups"])
        {
            ById(section, was[section] as JsonArray ?? [], now[section] as JsonArray ?? []);
        }

        foreach (var collection in old.Collections.Where(c => @new.Collections.Any(n => n.Id == c.Id)))
        {
            Members($"collection {collection.Id}", "datasets", collection.Datasets, @new.Collections.First(n => n.Id == collection.Id).Datasets, whatMore: ChangeClass.Neutral, subject: "dataset");
        }

        foreach (var group in old.Groups.Where(g => @new.Groups.Any(n => n.Id == g.Id)))
        {
            Members($"group {group.Id}", "parties", group.Parties, @new.Groups.First(n => n.Id == group.Id).Parties, whatMore: ChangeClass.Neutral, subject: "party");
        }

        Cap("retention", "days after egress", old.Retention?.DaysAfterEgress, @new.Retention?.DaysAfterEgress, Strictness.AtMost(old.Retention?.DaysAfterEgress, @new.Retention?.DaysAfterEgress), Days);
        Cap("retention", "deletion attestation days", old.Retention?.DeletionAttestationDays, @new.Retention?.DeletionAttestationDays, Strictness.AtMost(old.Retention?.DeletionAttestationDays, @new.Retention?.DeletionAttestationDays), Days);
        Cap("breachNotificationHours", "breach notification", old.BreachNotificationHours, @new.BreachNotificationHours, Strictness.AtMost(old.BreachNotificationHours, @new.BreachNotificationHours), h => $"{h} hours");
        Cap("termination", "delete within days", old.Termination?.DeleteWithinDays, @new.Termination?.DeleteWithinDays, Strictness.AtMost(old.Termination?.DeleteWithinDays, @new.Termination?.DeleteWithinDays), Days);
        if (old.Termination?.NoticeDays != @new.Termination?.NoticeDays)
        {
            Add(ChangeClass.Neutral, "termination", "notice days", $"termination notice {Or(old.Termination?.NoticeDays, Days)} became {Or(@new.Termination?.NoticeDays, Days)}");
        }

        if (old.Audit != @new.Audit)
        {
            var weaker = (old.Audit?.Allowed ?? false) && !(@new.Audit?.Allowed ?? false) || !Strictness.AtMost(old.Audit?.NoticeDays, @new.Audit?.NoticeDays) && @new.Audit?.NoticeDays is not null;
            Add(weaker ? ChangeClass.Widening : ChangeClass.Neutral, "audit", "audit", $"audit terms changed ({AuditText(old.Audit)} became {AuditText(@new.Audit)})");
        }

        Members("incidents", "autoSealAlerts", old.Incidents?.AutoSealAlerts ?? [], @new.Incidents?.AutoSealAlerts ?? [], whatMore: ChangeClass.Narrowing);

        // Like breach notification: a longer (or no) deadline asks less, so the signers see it as widening.
        Hours("incidents", "vulnerability acknowledge", old.Incidents?.VulnerabilityAcknowledgeHours, @new.Incidents?.VulnerabilityAcknowledgeHours);
        Hours("incidents", "vulnerability response", old.Incidents?.VulnerabilityResponseHours, @new.Incidents?.VulnerabilityResponseHours);
        var (oldLevels, newLevels) = (old.Incidents?.ServiceLevels, @new.Incidents?.ServiceLevels);
        Deadline("incidents", "incident acknowledge", oldLevels?.Acknowledge, newLevels?.Acknowledge);
        Deadline("incidents", "incident contain", oldLevels?.Contain, newLevels?.Contain);
        Deadline("incidents", "incident resolve", oldLevels?.Resolve, newLevels?.Resolve);
        Diligence(old.Diligence, @new.Diligence);
        DataRoles(old.Parties, @new.Parties);
        if (old.Publication?.Allowed != @new.Publication?.Allowed)
        {
            Add(@new.Publication?.Allowed == true ? ChangeClass.Widening : ChangeClass.Narrowing, "publication", "publication", @new.Publication?.Allowed == true ? "publication now allowed" : "publication no longer allowed");
        }

        foreach (var section in (string[])["title", "partnership", "engagement", "attributes", "publication", "intellectualProperty", "liabilityCap", "compliance", "artifacts", "incidents", "serviceLevels", "diligence"])
        {
            if (!JsonNode.DeepEquals(was[section], now[section]) && _changes.All(c => c.Clause != section))
            {
                // A declaration (an attribute's values and their order) bears on every condition that reads it.
                Add(ChangeClass.Neutral, section, section, $"`{section}` changed", section == "attributes" ? ["any"] : null);
            }
        }
    }

    private void Hours(string clause, string aspect, int? old, int? @new) =>
        Cap(clause, aspect, old, @new, Strictness.AtMost(old, @new), h => $"{h} hours");

    private void Deadline(string clause, string aspect, TimeSpan? old, TimeSpan? @new) =>
        Cap(clause, aspect, old, @new, Strictness.AtMost(old, @new), IsoDurationText);

    /// <summary>Due-diligence requirements by party: one dropped, older records or lower scores accepted, or more assessors trusted ask less.</summary>
    private void Diligence(IReadOnlyList<DiligenceRequirement> old, IReadOnlyList<DiligenceRequirement> @new)
    {
        foreach (var party in old.Select(d => d.Party).Union(@new.Select(d => d.Party)).OrderBy(p => p.Value, StringComparer.Ordinal))
        {
            var was = old.FirstOrDefault(d => d.Party == party);
            var now = @new.FirstOrDefault(d => d.Party == party);
            var aspect = $"diligence {party}";
            if (was is null || now is null)
            {
                Add(was is null ? ChangeClass.Narrowing : ChangeClass.Widening, "diligence", aspect, was is null ? $"due diligence now required of `{party}` (score at least {now!.MinScore}, no older than {Days(now.MaxAgeDays)})" : $"due diligence no longer required of `{party}`");
                continue;
            }

            Cap("diligence", $"{aspect} max age", (int?)was.MaxAgeDays, now.MaxAgeDays, now.MaxAgeDays <= was.MaxAgeDays, Days);
            Cap("diligence", $"{aspect} min score", (int?)was.MinScore, now.MinScore, now.MinScore >= was.MinScore, m => m.ToString(CultureInfo.InvariantCulture));
            Members("diligence", $"{aspect} assessor keys", was.AssessorKeys, now.AssessorKeys, whatMore: ChangeClass.Widening);
        }
    }

    /// <summary>
    /// A party's data role per purpose, ordered by how much the party decides: processor (on instructions only), joint
    /// controller, controller. A role taken up the order widens; a processor role dropped, or a controller role
    /// declared where none was, is shown as widening too, so that the signers see it.
    /// </summary>
    private void DataRoles(IReadOnlyList<Party> old, IReadOnlyList<Party> @new)
    {
        foreach (var party in old.Where(p => @new.Any(n => n.Id == p.Id)))
        {
            var roles = @new.First(n => n.Id == party.Id).DataRoles;
            foreach (var purpose in party.DataRoles.Keys.Union(roles.Keys).OrderBy(p => p.Value, StringComparer.Ordinal))
            {
                DataRole? was = party.DataRoles.TryGetValue(purpose, out var w) ? w : null;
                DataRole? now = roles.TryGetValue(purpose, out var n) ? n : null;
                if (was == now)
                {
                    continue;
                }

                var change = (was, now) switch
                {
                    (null, DataRole.Processor) => ChangeClass.Narrowing,
                    (null, _) => ChangeClass.Widening,
                    (DataRole.Processor, null) => ChangeClass.Widening,
                    (_, null) => ChangeClass.Narrowing,
                    ({ } from, { } to) => Rank(to) > Rank(from) ? ChangeClass.Widening : ChangeClass.Narrowing,
                };
                Add(change, "parties", $"data role {party.Id} {purpose}", $"`{party.Id}`'s data role for `{purpose}`: {RoleText(was)} became {RoleText(now)}");
            }
        }

        static int Rank(DataRole role) => role switch
        {
            DataRole.Processor => 0,
            DataRole.JointController => 1,
            _ => 2,
        };

        static string RoleText(DataRole? role) => role is { } r ? $"`{AgreementEnumText.ToText(r)}`" : "none";
    }

    private void Add(ChangeClass change, string clause, string aspect, string description, IEnumerable<string>? subjects = null)
    {
        if (subjects is not null)
        {
            _subjects[_changes.Count] = subjects.ToHashSet(StringComparer.Ordinal);
        }

        _changes.Add(new AgreementChange(change, clause, aspect, description));
    }

    /// <summary>A list where each value names something more (a dataset granted, a value a prohibition covers): added values are <paramref name="whatMore"/>.</summary>
    /// <remarks>With <paramref name="subject"/> (`party`, `dataset`), a neutral change is about the values added or removed.</remarks>
    private void Members<T>(string clause, string aspect, IEnumerable<T> old, IEnumerable<T> @new, ChangeClass whatMore, string? subject = null)
    {
        var was = old.Select(v => v!.ToString()!).ToHashSet(StringComparer.Ordinal);
        var now = @new.Select(v => v!.ToString()!).ToHashSet(StringComparer.Ordinal);
        var added = now.Except(was).Order(StringComparer.Ordinal).ToList();
        var removed = was.Except(now).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            Add(whatMore, clause, aspect, $"{aspect} added: {List(added, string.Empty)}", subject is null ? null : added.Select(v => $"{subject}:{v}"));
        }

        if (removed.Count > 0)
        {
            Add(Opposite(whatMore), clause, aspect, $"{aspect} removed: {List(removed, string.Empty)}", subject is null ? null : removed.Select(v => $"{subject}:{v}"));
        }
    }

    /// <summary>A list where empty means every value (a grant's jurisdictions, a prohibition's recipients).</summary>
    private void EmptyMeansAll<T>(string clause, string aspect, IReadOnlyList<T> old, IReadOnlyList<T> @new, ChangeClass whatMore)
    {
        if (old.Count == 0 && @new.Count > 0)
        {
            Add(Opposite(whatMore), clause, aspect, $"{aspect}: any became {List(@new, string.Empty)}");
        }
        else if (old.Count > 0 && @new.Count == 0)
        {
            Add(whatMore, clause, aspect, $"{aspect}: {List(old, string.Empty)} became any");
        }
        else
        {
            Members(clause, aspect, old, @new, whatMore);
        }
    }

    private void Window(string clause, TimeWindow? old, TimeWindow? @new)
    {
        if (old == @new)
        {
            return;
        }

        // No window means the agreement's whole window, which no grant window can exceed.
        var longer = @new is null || (old is not null && @new.From <= old.From && (@new.Until is null || (old.Until is { } until && @new.Until >= until)));
        Add(longer ? ChangeClass.Widening : ChangeClass.Narrowing, clause, "window", $"window {(old is null ? "the agreement's" : WindowText(old))} became {(@new is null ? "the agreement's" : WindowText(@new))}");
    }

    private void Cap<T>(string clause, string aspect, T? old, T? @new, bool notWeaker, Func<T, string> text)
        where T : struct => CapText(clause, aspect, Nullable.Equals(old, @new), notWeaker, Or(old, text), Or(@new, text));

    private void Cap<T>(string clause, string aspect, T? old, T? @new, bool notWeaker, Func<T, string> text)
        where T : class => CapText(clause, aspect, Equals(old, @new), notWeaker, Or(old, text), Or(@new, text));

    private void CapText(string clause, string aspect, bool same, bool notWeaker, string old, string @new)
    {
        if (!same)
        {
            Add(notWeaker ? ChangeClass.Narrowing : ChangeClass.Widening, clause, aspect, $"{aspect} {old} became {@new}");
        }
    }

    private void Condition(string clause, string aspect, Condition? old, Condition? @new, ChangeClass removedClass)
    {
        if (Equals(old, @new))
        {
            return;
        }

        if (old is null || @new is null)
        {
            Add(old is null ? Opposite(removedClass) : removedClass, clause, aspect, old is null ? $"`{aspect}: {@new!.Text}` added" : $"`{aspect}: {old.Text}` removed");
        }
        else
        {
            Add(ChangeClass.Neutral, clause, aspect, $"`{aspect}` changed from `{old.Text}` to `{@new.Text}`: the verdict says what it changes", [$"clause:{clause}"]);
        }
    }

    /// <summary>A section of items with ids (parties, datasets, …): added and removed ids, and items whose canonical JSON changed.</summary>
    private void ById(string section, JsonArray old, JsonArray @new)
    {
        static Dictionary<string, JsonNode> Index(JsonArray items) => items.OfType<JsonObject>().ToDictionary(item => item["id"]!.GetValue<string>(), item => (JsonNode)item, StringComparer.Ordinal);
        var was = Index(old);
        var now = Index(@new);
        // An approver added asks one more sign-off of every version; one removed lets a version into force with less oversight.
        Members(section, section, was.Keys, now.Keys, whatMore: section == "approvers" ? ChangeClass.Narrowing : ChangeClass.Neutral);
        var subject = section switch
        {
            "parties" => "party",
            "datasets" => "dataset",
            "purposes" => "purpose",
            _ => null,
        };
        foreach (var (id, item) in was.Where(w => now.ContainsKey(w.Key)).OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            // A party's data roles are classed on their own (DataRoles).
            var changed = ((JsonObject)item).Select(m => m.Key).Union(((JsonObject)now[id]).Select(m => m.Key))
                .Where(key => !JsonNode.DeepEquals(item[key], now[id][key]) && !(section == "parties" && key == "dataRoles")).Order(StringComparer.Ordinal).ToList();
            if (changed.Count > 0)
            {
                Add(ChangeClass.Neutral, section, $"{section} {id}", $"`{id}` changed ({string.Join(", ", changed)}): the verdict says what it changes", subject is null ? null : [$"{subject}:{id}"]);
            }
        }
    }

    private static ChangeClass Opposite(ChangeClass change) => change switch
    {
        ChangeClass.Widening => ChangeClass.Narrowing,
        ChangeClass.Narrowing => ChangeClass.Widening,
        _ => ChangeClass.Neutral,
    };

    private static bool SameSet<T>(IEnumerable<T> a, IEnumerable<T> b) => a.ToHashSet().SetEquals(b);

    private static string Rule(FieldRule? rule) => rule is null ? "left unchanged" : rule.Parameter is null ? $"`{AgreementEnumText.ToText(rule.Kind)}`" : $"`{AgreementEnumText.ToText(rule.Kind)}` ({rule.Parameter})";

    private static string List<T>(IEnumerable<T>? values, string none) => values is null ? none : string.Join(", ", values.Select(v => $"`{v}`"));

    private static string Or<T>(T? value, Func<T, string> text)
        where T : struct => value is { } v ? text(v) : "none";

    private static string Or<T>(T? value, Func<T, string> text)
        where T : class => value is null ? "none" : text(value);

    private static string Days(int days) => $"{days} days";

    private static string BudgetText(PrivacyBudget budget) =>
        $"ε {budget.Epsilon.ToString(CultureInfo.InvariantCulture)}, δ {budget.Delta.ToString(CultureInfo.InvariantCulture)} per {IsoDurationText(budget.Period)}{(budget.LifetimeEpsilon is { } lifetime ? $", lifetime ε {lifetime.ToString(CultureInfo.InvariantCulture)}" : string.Empty)}";

    private static string IsoDurationText(TimeSpan span) => Core.IsoDuration.Format(span);

    private static string WindowText(TimeWindow window) => $"{Core.Rfc3339.Format(window.From)} – {(window.Until is { } until ? Core.Rfc3339.Format(until) : "open")}";

    private static string AuditText(AuditTerms? audit) => audit is null ? "none" : $"{(audit.Allowed ? "allowed" : "not allowed")}, cadence {audit.Cadence ?? "none"}, notice {Or(audit.NoticeDays, Days)}";
}
