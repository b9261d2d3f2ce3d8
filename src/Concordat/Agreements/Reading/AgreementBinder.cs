using Concordat.Agreements.Conditions;
using Concordat.Agreements.Syntax;
using Concordat.Core;

namespace Concordat.Agreements.Reading;

/// <summary>
/// Turns the syntax tree into the typed <see cref="Agreement"/>. Whatever cannot be read is reported and left
/// out (or given an empty placeholder id), so that validation can still run over the rest.
/// </summary>
internal sealed class AgreementBinder(Binder b)
{
    private IReadOnlyList<AttributeDeclaration> _declarations = [];

    /// <summary>The format versions this reader understands.</summary>
    public const int CurrentFormatVersion = 1;

    public Agreement? Bind(YamlNode root)
    {
        var m = b.Mapping(root, AgreementKeys.Agreement, "agreement");
        if (m is null)
        {
            return null;
        }

        var formatNode = Binder.Value(m, "concordat");
        var format = b.Int(formatNode, "concordat", 1);
        if (format is not null and not CurrentFormatVersion)
        {
            b.Report(AgreementDiagnosticCodes.FormatVersion, $"format version `{format}` is not supported", formatNode!.Span, $"this version of Concordat reads `concordat: {CurrentFormatVersion}`");
        }

        _declarations = b.List(Binder.Value(m, "attributes"), "attributes", BindDeclaration);
        var agreement = new Agreement(
            FormatVersion: format ?? CurrentFormatVersion,
            Id: new AgreementId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            Version: b.Int(Binder.Value(m, "version"), "version", 1) ?? 1,
            Title: b.String(Binder.Value(m, "title"), "title") ?? string.Empty,
            Partnership: b.Enum<PartnershipModel>(Binder.Value(m, "partnership"), "partnership", "a partnership model") ?? PartnershipModel.Bilateral,
            Engagement: b.Enum<EngagementKind>(Binder.Value(m, "engagement"), "engagement", "an engagement kind") ?? EngagementKind.DataSharing,
            Parties: b.List(Binder.Value(m, "parties"), "parties", BindParty),
            Approvers: b.List(Binder.Value(m, "approvers"), "approvers", BindApprover),
            Effective: BindWindow(Binder.Value(m, "effective"), "effective") ?? new TimeWindow(DateTimeOffset.MinValue, null),
            Termination: BindTermination(Binder.Value(m, "termination")),
            Purposes: b.List(Binder.Value(m, "purposes"), "purposes", BindPurpose),
            Datasets: b.List(Binder.Value(m, "datasets"), "datasets", BindDataset),
            Grants: b.List(Binder.Value(m, "grants"), "grants", BindGrant),
            Prohibitions: b.List(Binder.Value(m, "prohibitions"), "prohibitions", BindProhibition),
            Retention: BindRetention(Binder.Value(m, "retention")),
            BreachNotificationHours: b.Int(Binder.Value(m, "breachNotificationHours"), "breachNotificationHours", 1),
            Audit: BindAudit(Binder.Value(m, "audit")),
            Publication: BindPublication(Binder.Value(m, "publication")),
            IntellectualProperty: BindIp(Binder.Value(m, "intellectualProperty")),
            LiabilityCap: b.String(Binder.Value(m, "liabilityCap"), "liabilityCap"),
            Compliance: BindCompliance(Binder.Value(m, "compliance")),
            Artifacts: b.List(Binder.Value(m, "artifacts"), "artifacts", BindArtifact),
            Incidents: BindIncidents(Binder.Value(m, "incidents")),
            ServiceLevels: BindServiceLevels(Binder.Value(m, "serviceLevels")))
        {
            Attributes = _declarations,
            Collections = b.List(Binder.Value(m, "collections"), "collections", BindCollection),
            Groups = b.List(Binder.Value(m, "groups"), "groups", BindGroup),
            Diligence = b.List(Binder.Value(m, "diligence"), "diligence", BindDiligence),
        };
        b.Map.Add(agreement, m);
        return agreement;
    }

    private Party? BindParty(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Party, "parties");
        if (m is null)
        {
            return null;
        }

        var roleSpans = new List<SourceSpan>();
        var party = new Party(
            new PartyId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            b.String(Binder.Value(m, "legalName"), "legalName") ?? string.Empty,
            b.Jurisdiction(Binder.Value(m, "jurisdiction"), "jurisdiction") ?? new Jurisdiction(string.Empty),
            b.Set(Binder.Value(m, "roles"), "roles", n => b.Enum<PartyRole>(n, "roles", "a party role"), roleSpans),
            b.StringSet(Binder.Value(m, "keys"), "keys", n => b.VerifierKey(n, "keys")),
            b.String(Binder.Value(m, "breachContact"), "breachContact"))
        {
            Clearance = b.Enum<SensitivityLevel>(Binder.Value(m, "clearance"), "clearance", "a sensitivity level"),
            Certifications = b.StringSet(Binder.Value(m, "certifications"), "certifications", n => b.Id(n, "certifications")),
            DataRoles = BindDataRoles(Binder.Value(m, "dataRoles")),
            Attributes = BindAssignments(Binder.Value(m, "attributes"), AttributeOwner.Party),
        };
        b.Map.Add(party, m);
        b.Record(party, "roles", roleSpans);
        return party;
    }

    private Approver? BindApprover(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Approver, "approvers");
        if (m is null)
        {
            return null;
        }

        var approver = new Approver(
            new ApproverId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            b.String(Binder.Value(m, "name"), "name") ?? string.Empty,
            PartyRef(Binder.Value(m, "party"), "party"),
            b.StringSet(Binder.Value(m, "keys"), "keys", n => b.VerifierKey(n, "keys")));
        b.Map.Add(approver, m);
        return approver;
    }

    private TimeWindow? BindWindow(YamlNode? node, string key)
    {
        var m = b.Mapping(node, AgreementKeys.Window, key);
        if (m is null)
        {
            return null;
        }

        var from = b.Instant(Binder.Value(m, "from"), "from");
        var until = b.Instant(Binder.Value(m, "until"), "until");
        if (from is null)
        {
            return null;
        }

        var window = new TimeWindow(from.Value, until);
        b.Map.Add(window, m);
        if (until is not null && until.Value <= from.Value)
        {
            b.Report(AgreementDiagnosticCodes.EmptyWindow, $"`{key}` ends before it starts", b.Map.SpanOf(window, "until"));
        }

        return window;
    }

    private TerminationTerms? BindTermination(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Termination, "termination");
        return m is null ? null : Mapped(m, new TerminationTerms(
            b.Int(Binder.Value(m, "noticeDays"), "noticeDays", 0) ?? 0,
            b.Int(Binder.Value(m, "deleteWithinDays"), "deleteWithinDays", 0)));
    }

    private PurposeDefinition? BindPurpose(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Purpose, "purposes");
        return m is null ? null : Mapped(m, new PurposeDefinition(
            new PurposeId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            PurposeRef(Binder.Value(m, "broader"), "broader"),
            b.String(Binder.Value(m, "description"), "description")));
    }

    private DatasetDefinition? BindDataset(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Dataset, "datasets");
        if (m is null)
        {
            return null;
        }

        var tags = BindTags(Binder.Value(m, "tags")) ?? new DatasetTags(SensitivityLevel.Restricted, null, null, null, false);
        var dataset = new DatasetDefinition(
            new DatasetId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            PartyRef(Binder.Value(m, "owner"), "owner") ?? new PartyId(string.Empty),
            tags,
            b.List(Binder.Value(m, "fields"), "fields", BindField),
            FieldRef(Binder.Value(m, "consentField"), "consentField"),
            FieldRef(Binder.Value(m, "residencyField"), "residencyField"))
        {
            Attributes = BindAssignments(Binder.Value(m, "attributes"), AttributeOwner.Dataset),
            EntityKey = FieldRef(Binder.Value(m, "entityKey"), "entityKey"),
        };
        return Mapped(m, dataset);
    }

    private DatasetTags? BindTags(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Tags, "tags");
        return m is null ? null : Mapped(m, new DatasetTags(
            b.Enum<SensitivityLevel>(Binder.Value(m, "sensitivity"), "sensitivity", "a sensitivity level") ?? SensitivityLevel.Restricted,
            b.Licence(Binder.Value(m, "licence"), "licence"),
            b.String(Binder.Value(m, "source"), "source"),
            b.Jurisdiction(Binder.Value(m, "originJurisdiction"), "originJurisdiction"),
            b.Boolean(Binder.Value(m, "personalData"), "personalData") ?? false)
        {
            Residency = b.Set(Binder.Value(m, "residency"), "residency", n => b.Jurisdiction(n, "residency"), []),
        });
    }

    private FieldDefinition? BindField(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Field, "fields");
        return m is null ? null : Mapped(m, new FieldDefinition(
            new FieldName(b.FieldNameText(Binder.Value(m, "name"), "name") ?? string.Empty),
            b.Enum<FieldType>(Binder.Value(m, "type"), "type", "a field type") ?? FieldType.String,
            b.Enum<FieldClassification>(Binder.Value(m, "classification"), "classification", "a field classification") ?? FieldClassification.Plain));
    }

    private Grant? BindGrant(YamlNode node)
    {
        var keys = node is YamlMapping raw ? AgreementKeys.GrantFor(raw.Find("groups") is not null, raw.Find("collections") is not null) : AgreementKeys.Grant;
        var m = b.Mapping(node, keys, "grants");
        if (m is null)
        {
            return null;
        }

        List<SourceSpan> datasetSpans = [], purposeSpans = [], actionSpans = [], jurisdictionSpans = [], subprocessorSpans = [], collectionSpans = [], groupSpans = [];
        var grant = new Grant(
            new ClauseId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            PartyRef(Binder.Value(m, "recipient"), "recipient") ?? new PartyId(string.Empty),
            b.Set(Binder.Value(m, "datasets"), "datasets", n => DatasetRef(n, "datasets"), datasetSpans),
            b.Set(Binder.Value(m, "purposes"), "purposes", n => PurposeRef(n, "purposes"), purposeSpans),
            b.Set(Binder.Value(m, "actions"), "actions", n => b.Enum<DataAction>(n, "actions", "an action"), actionSpans),
            b.List(Binder.Value(m, "fieldRules"), "fieldRules", BindFieldRule),
            BindRowRules(Binder.Value(m, "rowRules")),
            b.Set(Binder.Value(m, "jurisdictions"), "jurisdictions", n => b.Jurisdiction(n, "jurisdictions"), jurisdictionSpans),
            b.Set(Binder.Value(m, "subprocessors"), "subprocessors", n => PartyRef(n, "subprocessors"), subprocessorSpans),
            BindWindow(Binder.Value(m, "window"), "window"),
            BindRateLimit(Binder.Value(m, "rateLimit")),
            b.Duration(Binder.Value(m, "tokenLifetime"), "tokenLifetime"),
            b.Int(Binder.Value(m, "minGroupSize"), "minGroupSize", 2),
            BindPrivacyBudget(Binder.Value(m, "privacyBudget")))
        {
            Collections = b.Set(Binder.Value(m, "collections"), "collections", n => CollectionRef(n, "collections"), collectionSpans),
            Groups = b.Set(Binder.Value(m, "groups"), "groups", n => GroupRef(n, "groups"), groupSpans),
            When = BindCondition(Binder.Value(m, "when"), "when"),
            Aggregates = BindAggregates(Binder.Value(m, "aggregates")),
        };
        Mapped(m, grant);
        b.Record(grant, "collections", collectionSpans);
        b.Record(grant, "groups", groupSpans);
        b.Record(grant, "datasets", datasetSpans);
        b.Record(grant, "purposes", purposeSpans);
        b.Record(grant, "actions", actionSpans);
        b.Record(grant, "jurisdictions", jurisdictionSpans);
        b.Record(grant, "subprocessors", subprocessorSpans);
        return grant;
    }

    private FieldRule? BindFieldRule(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.FieldRule, "fieldRules");
        return m is null ? null : Mapped(m, new FieldRule(
            FieldRef(Binder.Value(m, "field"), "field") ?? new FieldName(string.Empty),
            b.Enum<FieldRuleKind>(Binder.Value(m, "rule"), "rule", "a field rule") ?? FieldRuleKind.Drop,
            b.String(Binder.Value(m, "parameter"), "parameter")));
    }

    private RowRules? BindRowRules(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.RowRules, "rowRules");
        return m is null ? null : Mapped(m, new RowRules(
            b.Boolean(Binder.Value(m, "requireConsent"), "requireConsent") ?? false,
            b.Set(Binder.Value(m, "residency"), "residency", n => b.Jurisdiction(n, "residency"), [])));
    }

    private RateLimit? BindRateLimit(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.RateLimit, "rateLimit");
        return m is null ? null : Mapped(m, new RateLimit(
            b.Int(Binder.Value(m, "requests"), "requests", 1) ?? 1,
            b.Duration(Binder.Value(m, "period"), "period") ?? TimeSpan.FromMinutes(1)));
    }

    private PrivacyBudget? BindPrivacyBudget(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.PrivacyBudget, "privacyBudget");
        return m is null ? null : Mapped(m, new PrivacyBudget(
            b.Number(Binder.Value(m, "epsilon"), "epsilon", 0, 100, minExclusive: true, maxExclusive: false) ?? 1,
            b.Number(Binder.Value(m, "delta"), "delta", 0, 1, minExclusive: false, maxExclusive: true) ?? 0,
            b.Duration(Binder.Value(m, "period"), "period") ?? TimeSpan.FromDays(1))
        {
            LifetimeEpsilon = b.Number(Binder.Value(m, "lifetimeEpsilon"), "lifetimeEpsilon", 0, 10_000, minExclusive: true, maxExclusive: false),
        });
    }

    private AggregateScope? BindAggregates(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Aggregates, "aggregates");
        if (m is null)
        {
            return null;
        }

        List<SourceSpan> dimensionSpans = [], measureSpans = [], joinSpans = [], joinDimensionSpans = [];
        var scope = new AggregateScope(
            b.Set(Binder.Value(m, "dimensions"), "dimensions", n => FieldRef(n, "dimensions"), dimensionSpans),
            b.Set(Binder.Value(m, "measures"), "measures", n => FieldRef(n, "measures"), measureSpans),
            b.Set(Binder.Value(m, "joinKeys"), "joinKeys", n => FieldRef(n, "joinKeys"), joinSpans),
            b.Int(Binder.Value(m, "maxGroupsPerEntity"), "maxGroupsPerEntity", 1, AggregateScope.MaxContribution),
            b.Int(Binder.Value(m, "maxRowsPerGroup"), "maxRowsPerGroup", 1, AggregateScope.MaxContribution))
        {
            JoinDimensions = b.Set(Binder.Value(m, "joinDimensions"), "joinDimensions", n => FieldRef(n, "joinDimensions"), joinDimensionSpans),
            CanSelectPartitions = b.Boolean(Binder.Value(m, "partitionSelection"), "partitionSelection") ?? false,
        };
        Mapped(m, scope);
        b.Record(scope, "dimensions", dimensionSpans);
        b.Record(scope, "measures", measureSpans);
        b.Record(scope, "joinKeys", joinSpans);
        b.Record(scope, "joinDimensions", joinDimensionSpans);
        return scope;
    }

    private Prohibition? BindProhibition(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Prohibition, "prohibitions");
        if (m is null)
        {
            return null;
        }

        List<SourceSpan> recipientSpans = [], datasetSpans = [], purposeSpans = [], joinSpans = [], collectionSpans = [], groupSpans = [];
        var prohibition = new Prohibition(
            new ClauseId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            b.Set(Binder.Value(m, "recipients"), "recipients", n => PartyRef(n, "recipients"), recipientSpans),
            b.Set(Binder.Value(m, "datasets"), "datasets", n => DatasetRef(n, "datasets"), datasetSpans),
            b.Set(Binder.Value(m, "purposes"), "purposes", n => PurposeRef(n, "purposes"), purposeSpans),
            b.Set(Binder.Value(m, "jurisdictions"), "jurisdictions", n => b.Jurisdiction(n, "jurisdictions"), []),
            b.Set(Binder.Value(m, "sensitivities"), "sensitivities", n => b.Enum<SensitivityLevel>(n, "sensitivities", "a sensitivity level"), []),
            b.Set(Binder.Value(m, "actions"), "actions", n => b.Enum<DataAction>(n, "actions", "an action"), []),
            b.Boolean(Binder.Value(m, "reidentification"), "reidentification") ?? false,
            b.Set(Binder.Value(m, "joinWith"), "joinWith", n => DatasetRef(n, "joinWith"), joinSpans))
        {
            Collections = b.Set(Binder.Value(m, "collections"), "collections", n => CollectionRef(n, "collections"), collectionSpans),
            Groups = b.Set(Binder.Value(m, "groups"), "groups", n => GroupRef(n, "groups"), groupSpans),
            When = BindCondition(Binder.Value(m, "when"), "when"),
            Unless = BindCondition(Binder.Value(m, "unless"), "unless"),
        };
        Mapped(m, prohibition);
        b.Record(prohibition, "collections", collectionSpans);
        b.Record(prohibition, "groups", groupSpans);
        b.Record(prohibition, "recipients", recipientSpans);
        b.Record(prohibition, "datasets", datasetSpans);
        b.Record(prohibition, "purposes", purposeSpans);
        b.Record(prohibition, "joinWith", joinSpans);
        return prohibition;
    }

    private RetentionTerms? BindRetention(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Retention, "retention");
        return m is null ? null : Mapped(m, new RetentionTerms(
            b.Int(Binder.Value(m, "daysAfterEgress"), "daysAfterEgress", 0) ?? 0,
            b.Int(Binder.Value(m, "deletionAttestationDays"), "deletionAttestationDays", 0)));
    }

    private AuditTerms? BindAudit(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Audit, "audit");
        return m is null ? null : Mapped(m, new AuditTerms(
            b.Boolean(Binder.Value(m, "allowed"), "allowed") ?? false,
            b.String(Binder.Value(m, "cadence"), "cadence"),
            b.Int(Binder.Value(m, "noticeDays"), "noticeDays", 0)));
    }

    private PublicationTerms? BindPublication(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Publication, "publication");
        return m is null ? null : Mapped(m, new PublicationTerms(
            b.Boolean(Binder.Value(m, "allowed"), "allowed") ?? false,
            b.String(Binder.Value(m, "attribution"), "attribution"),
            b.Int(Binder.Value(m, "reviewDays"), "reviewDays", 0)));
    }

    private IpTerms? BindIp(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.IntellectualProperty, "intellectualProperty");
        return m is null ? null : Mapped(m, new IpTerms(
            b.List(Binder.Value(m, "background"), "background", BindBackground),
            b.Enum<ForegroundOwnership>(Binder.Value(m, "foreground"), "foreground", "a foreground ownership rule"),
            PartyRef(Binder.Value(m, "foregroundOwner"), "foregroundOwner"),
            b.StringSet(Binder.Value(m, "thirdPartyLicences"), "thirdPartyLicences", n => b.Licence(n, "thirdPartyLicences"))));
    }

    private BackgroundIp? BindBackground(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.BackgroundIp, "background");
        return m is null ? null : Mapped(m, new BackgroundIp(
            PartyRef(Binder.Value(m, "party"), "party") ?? new PartyId(string.Empty),
            b.String(Binder.Value(m, "description"), "description") ?? string.Empty));
    }

    private DiligenceRequirement? BindDiligence(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Diligence, "diligence");
        if (m is null)
        {
            return null;
        }

        // Only an empty list: a key given but refused has its own error already.
        var keys = Binder.Value(m, "assessorKeys");
        if (keys is YamlSequence { Items.Count: 0 })
        {
            b.Report(AgreementDiagnosticCodes.DiligenceWithoutAssessor, "`diligence`: `assessorKeys` is empty", keys.Span, "list the verifier key of each assessor trusted for the record, as `concordat key new` writes it");
        }

        return Mapped(m, new DiligenceRequirement(
            PartyRef(Binder.Value(m, "party"), "party") ?? new PartyId(string.Empty),
            b.Int(Binder.Value(m, "maxAgeDays"), "maxAgeDays", 1, 3650) ?? 1,
            b.Int(Binder.Value(m, "minScore"), "minScore", 0, 100) ?? 0,
            b.StringSet(keys, "assessorKeys", n => b.VerifierKey(n, "assessorKeys"))));
    }

    private ComplianceScope? BindCompliance(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Compliance, "compliance");
        return m is null ? null : Mapped(m, new ComplianceScope(
            b.Set(Binder.Value(m, "jurisdictions"), "jurisdictions", n => b.Jurisdiction(n, "jurisdictions"), []),
            b.StringSet(Binder.Value(m, "sectors"), "sectors", n => b.Id(n, "sectors"))));
    }

    private ArtifactReference? BindArtifact(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Artifact, "artifacts");
        if (m is null)
        {
            return null;
        }

        var kind = b.Id(Binder.Value(m, "kind"), "kind");
        var digest = b.Digest(Binder.Value(m, "digest"), "digest");
        var approvedBy = b.Id(Binder.Value(m, "approvedBy"), "approvedBy");
        return kind is null || digest is null
            ? null
            : Mapped(m, new ArtifactReference(kind, digest.Value, b.String(Binder.Value(m, "name"), "name"), approvedBy is null ? null : new ApproverId(approvedBy)));
    }

    private IncidentTerms? BindIncidents(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.Incidents, "incidents");
        return m is null ? null : Mapped(m, new IncidentTerms(
            b.StringSet(Binder.Value(m, "autoSealAlerts"), "autoSealAlerts", n => b.Id(n, "autoSealAlerts")),
            b.Int(Binder.Value(m, "vulnerabilityAcknowledgeHours"), "vulnerabilityAcknowledgeHours", 1),
            b.Int(Binder.Value(m, "vulnerabilityResponseHours"), "vulnerabilityResponseHours", 1))
        {
            ServiceLevels = BindIncidentServiceLevels(Binder.Value(m, "serviceLevels")),
        });
    }

    private IncidentServiceLevels? BindIncidentServiceLevels(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.IncidentServiceLevels, "serviceLevels");
        if (m is null)
        {
            return null;
        }

        var acknowledge = b.Duration(Binder.Value(m, "acknowledge"), "acknowledge");
        var contain = b.Duration(Binder.Value(m, "contain"), "contain");
        var resolve = b.Duration(Binder.Value(m, "resolve"), "resolve");

        // Invariant: the terms nest: containing begins with acknowledging, and resolving with containing.
        if (contain < acknowledge)
        {
            b.Report(AgreementDiagnosticCodes.ServiceLevelsOutOfOrder, $"`incidents.serviceLevels`: `contain` ({IsoDuration.Format(contain!.Value)}) is shorter than `acknowledge` ({IsoDuration.Format(acknowledge!.Value)})", Binder.Value(m, "contain")!.Span, "an incident is acknowledged before it is contained: make `contain` at least `acknowledge`");
        }

        var floor = contain ?? acknowledge;
        if (resolve < floor)
        {
            b.Report(AgreementDiagnosticCodes.ServiceLevelsOutOfOrder, $"`incidents.serviceLevels`: `resolve` ({IsoDuration.Format(resolve!.Value)}) is shorter than `{(contain is null ? "acknowledge" : "contain")}` ({IsoDuration.Format(floor!.Value)})", Binder.Value(m, "resolve")!.Span, "an incident is contained before it is resolved: make `resolve` at least `contain` and `acknowledge`");
        }

        // An empty mapping only: a term given but refused, or an unknown key, has its own error already.
        if (m.Entries.Count == 0)
        {
            b.Report(AgreementDiagnosticCodes.ServiceLevelsEmpty, "`incidents.serviceLevels` names no term", node!.Span, "set `acknowledge`, `contain` or `resolve` to an ISO 8601 duration such as `PT4H`, or remove `serviceLevels`");
        }

        return Mapped(m, new IncidentServiceLevels(acknowledge, contain, resolve));
    }

    private ServiceLevels? BindServiceLevels(YamlNode? node)
    {
        var m = b.Mapping(node, AgreementKeys.ServiceLevels, "serviceLevels");
        return m is null ? null : Mapped(m, new ServiceLevels(
            b.Number(Binder.Value(m, "availabilityPercent"), "availabilityPercent", 0, 100, minExclusive: false, maxExclusive: false),
            b.Int(Binder.Value(m, "responseHours"), "responseHours", 1),
            b.String(Binder.Value(m, "apiTerms"), "apiTerms")));
    }

    private AttributeDeclaration? BindDeclaration(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Attribute, "attributes");
        if (m is null)
        {
            return null;
        }

        var nameNode = Binder.Value(m, "name");
        var name = b.Id(nameNode, "name");
        var of = b.Enum<AttributeOwner>(Binder.Value(m, "of"), "of", "what an attribute describes");
        var type = b.Enum<AttributeType>(Binder.Value(m, "type"), "type", "an attribute type");
        var levelsNode = Binder.Value(m, "levels");
        var levels = b.StringSet(levelsNode, "levels", n => b.Id(n, "levels"));
        if (name is null || of is null || type is null)
        {
            return null;
        }

        if (name.Contains('.', StringComparison.Ordinal) || ConditionAttributes.IsBuiltIn(of.Value, name))
        {
            b.Invalid(nameNode!, "name", name.Contains('.', StringComparison.Ordinal) ? $"`{name}` must not hold `.`" : $"`{name}` is a built-in attribute of every {AgreementEnumText.ToText(of.Value)}", "choose another name");
            return null;
        }

        if ((type == AttributeType.Ordered) != (levels.Count > 0))
        {
            b.Invalid(levelsNode ?? m, "levels", type == AttributeType.Ordered ? "an `ordered` attribute needs its `levels`, lowest first" : "only an `ordered` attribute has `levels`");
            return null;
        }

        return Mapped(m, new AttributeDeclaration(name, of.Value, type.Value, levels));
    }

    private CollectionDefinition? BindCollection(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Collection, "collections");
        if (m is null)
        {
            return null;
        }

        var spans = new List<SourceSpan>();
        var collection = Mapped(m, new CollectionDefinition(
            new CollectionId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            b.Set(Binder.Value(m, "datasets"), "datasets", n => DatasetRef(n, "datasets"), spans)));
        b.Record(collection, "datasets", spans);
        return collection;
    }

    private GroupDefinition? BindGroup(YamlNode node)
    {
        var m = b.Mapping(node, AgreementKeys.Group, "groups");
        if (m is null)
        {
            return null;
        }

        var spans = new List<SourceSpan>();
        var group = Mapped(m, new GroupDefinition(
            new GroupId(b.Id(Binder.Value(m, "id"), "id") ?? string.Empty),
            b.Set(Binder.Value(m, "parties"), "parties", n => PartyRef(n, "parties"), spans)));
        b.Record(group, "parties", spans);
        return group;
    }

    /// <summary>Reads an <c>attributes</c> mapping: each key a declared attribute, each value of its declared type.</summary>
    // Purpose ids are checked against the vocabulary by the validator, which knows every purpose.
    private Dictionary<PurposeId, DataRole> BindDataRoles(YamlNode? node)
    {
        var roles = new Dictionary<PurposeId, DataRole>();
        if (node is null)
        {
            return roles;
        }

        if (node is not YamlMapping m)
        {
            b.WrongType(node, "dataRoles", "a mapping of purpose ids to `controller`, `processor` or `joint-controller`");
            return roles;
        }

        foreach (var entry in m.Entries)
        {
            if (b.Id(entry.Key, "dataRoles") is { } purpose && b.Enum<DataRole>(entry.Value, "dataRoles", "a data role") is { } role)
            {
                roles[new PurposeId(purpose)] = role;
            }
        }

        return roles;
    }

    private List<AttributeAssignment> BindAssignments(YamlNode? node, AttributeOwner owner)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not YamlMapping m)
        {
            b.WrongType(node, "attributes", "a mapping");
            return [];
        }

        var result = new List<AttributeAssignment>();
        foreach (var entry in m.Entries)
        {
            var name = entry.Key.Value;
            if (_declarations.FirstOrDefault(d => d.Of == owner && d.Name == name) is not { } declaration)
            {
                var declared = _declarations.Where(d => d.Of == owner).Select(d => d.Name).ToArray();
                b.Report(AgreementDiagnosticCodes.UndefinedAttribute, $"attribute `{name}` is not declared for a {AgreementEnumText.ToText(owner)}", entry.Key.Span, declared.Length == 0 ? $"declare it under `attributes` with `of: {AgreementEnumText.ToText(owner)}` and its type" : Suggestions.Help(name, declared, "declared attributes"));
                continue;
            }

            if (entry.Value is null)
            {
                continue;
            }

            var type = ConditionAttributes.TypeOf(declaration);
            var values = type.IsSet
                ? b.StringSet(entry.Value, name, n => AttributeValue(n, name, type.Member))
                : AttributeValue(entry.Value, name, type) is { } value ? [value] : null;
            if (values is not null)
            {
                result.Add(new AttributeAssignment(name, type.IsSet ? [.. values.Order(StringComparer.Ordinal)] : values));
            }
        }

        return result;
    }

    private string? AttributeValue(YamlNode node, string key, Conditions.ValueType type)
    {
        var text = type.Kind switch
        {
            ValueKind.Integer => b.Integer(node, key, long.MinValue) is { } integer ? integer.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            ValueKind.Boolean => b.Boolean(node, key) is { } boolean ? (boolean ? "true" : "false") : null,
            _ => b.String(node, key),
        };
        if (text is null)
        {
            return null;
        }

        if (!ConditionLiterals.TryRead(text, type, out var value, out var problem))
        {
            b.Invalid(node, key, problem);
            return null;
        }

        return value.Text;
    }

    private Condition? BindCondition(YamlNode? node, string key)
    {
        var text = b.String(node, key);
        if (text is null)
        {
            return null;
        }

        if (!ConditionParser.TryParse(text, out var syntax, out var problem))
        {
            b.Report(AgreementDiagnosticCodes.ConditionSyntax, $"`{key}`: {problem.Message}", Binder.SpanIn((YamlScalar)node!, problem.Start, problem.End));
            return null;
        }

        var condition = new Condition(syntax);
        b.Conditions.Add(condition, (YamlScalar)node!);
        return condition;
    }

    private CollectionId? CollectionRef(YamlNode? node, string key) => b.Id(node, key) is { } id ? new CollectionId(id) : null;

    private GroupId? GroupRef(YamlNode? node, string key) => b.Id(node, key) is { } id ? new GroupId(id) : null;

    private PartyId? PartyRef(YamlNode? node, string key) => b.Id(node, key) is { } id ? new PartyId(id) : null;

    private DatasetId? DatasetRef(YamlNode? node, string key) => b.Id(node, key) is { } id ? new DatasetId(id) : null;

    private PurposeId? PurposeRef(YamlNode? node, string key) => b.Id(node, key) is { } id ? new PurposeId(id) : null;

    private FieldName? FieldRef(YamlNode? node, string key) => b.FieldNameText(node, key) is { } name ? new FieldName(name) : null;

    private T Mapped<T>(YamlMapping m, T typed)
        where T : class
    {
        b.Map.Add(typed, m);
        return typed;
    }
}
