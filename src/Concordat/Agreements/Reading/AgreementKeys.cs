namespace Concordat.Agreements.Reading;

/// <summary>
/// Every mapping of the agreement language and its keys: the one table the reader, the docs and the JSON Schema
/// test share, so that they cannot drift apart.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md and docs/formats/agreement.schema.json
internal static class AgreementKeys
{
    public static readonly KeySet Agreement = new(
        "agreement",
        ["concordat", "id", "version", "title", "partnership", "engagement", "parties", "effective"],
        ["approvers", "termination", "purposes", "datasets", "grants", "prohibitions", "retention", "breachNotificationHours", "audit", "publication", "intellectualProperty", "liabilityCap", "compliance", "artifacts", "incidents", "serviceLevels", "attributes", "collections", "groups", "diligence"]);

    public static readonly KeySet Party = new("party", ["id", "legalName", "jurisdiction", "roles"], ["keys", "breachContact", "clearance", "certifications", "dataRoles", "attributes"]);

    public static readonly KeySet Approver = new("approver", ["id", "name"], ["party", "keys"]);

    public static readonly KeySet Window = new("window", ["from"], ["until"]);

    public static readonly KeySet Termination = new("termination", ["noticeDays"], ["deleteWithinDays"]);

    public static readonly KeySet Purpose = new("purpose", ["id"], ["broader", "description"]);

    public static readonly KeySet Dataset = new("dataset", ["id", "owner", "tags"], ["fields", "consentField", "residencyField", "attributes", "entityKey"]);

    public static readonly KeySet Tags = new("tags", ["sensitivity"], ["licence", "source", "originJurisdiction", "personalData", "residency"]);

    public static readonly KeySet Field = new("field", ["name", "type"], ["classification"]);

    public static readonly KeySet Grant = new(
        "grant",
        ["id", "recipient", "datasets", "purposes", "actions"],
        ["fieldRules", "rowRules", "jurisdictions", "subprocessors", "window", "rateLimit", "tokenLifetime", "minGroupSize", "privacyBudget", "collections", "groups", "when", "aggregates"]);

    /// <summary>A grant that names <c>groups</c> needs no <c>recipient</c>, one that names <c>collections</c> no <c>datasets</c>.</summary>
    public static KeySet GrantFor(bool hasGroups, bool hasCollections) =>
        !hasGroups && !hasCollections ? Grant : Grant with
        {
            Required = [.. Grant.Required.Where(k => !(hasGroups && k == "recipient") && !(hasCollections && k == "datasets"))],
            Optional = [.. Grant.Optional, .. Grant.Required.Where(k => (hasGroups && k == "recipient") || (hasCollections && k == "datasets"))],
        };

    public static readonly KeySet FieldRule = new("field rule", ["field", "rule"], ["parameter"]);

    public static readonly KeySet RowRules = new("row rules", [], ["requireConsent", "residency"]);

    public static readonly KeySet RateLimit = new("rate limit", ["requests", "period"], []);

    public static readonly KeySet PrivacyBudget = new("privacy budget", ["epsilon", "delta", "period"], ["lifetimeEpsilon"]);

    public static readonly KeySet Aggregates = new("aggregates", [], ["dimensions", "measures", "joinKeys", "joinDimensions", "maxGroupsPerEntity", "maxRowsPerGroup", "partitionSelection"]);

    public static readonly KeySet Prohibition = new(
        "prohibition",
        ["id"],
        ["recipients", "datasets", "purposes", "jurisdictions", "sensitivities", "actions", "reidentification", "joinWith", "collections", "groups", "when", "unless"]);

    public static readonly KeySet Attribute = new("attribute", ["name", "of", "type"], ["levels"]);

    public static readonly KeySet Collection = new("collection", ["id", "datasets"], []);

    public static readonly KeySet Group = new("group", ["id", "parties"], []);

    public static readonly KeySet Diligence = new("due-diligence requirement", ["party", "maxAgeDays", "minScore", "assessorKeys"], []);

    public static readonly KeySet Retention = new("retention", ["daysAfterEgress"], ["deletionAttestationDays"]);

    public static readonly KeySet Audit = new("audit", ["allowed"], ["cadence", "noticeDays"]);

    public static readonly KeySet Publication = new("publication", ["allowed"], ["attribution", "reviewDays"]);

    public static readonly KeySet IntellectualProperty = new("intellectual property", [], ["background", "foreground", "foregroundOwner", "thirdPartyLicences"]);

    public static readonly KeySet BackgroundIp = new("background IP", ["party", "description"], []);

    public static readonly KeySet Compliance = new("compliance", [], ["jurisdictions", "sectors"]);

    public static readonly KeySet Artifact = new("artifact", ["kind", "digest"], ["name", "approvedBy"]);

    public static readonly KeySet Incidents = new("incidents", [], ["autoSealAlerts", "vulnerabilityAcknowledgeHours", "vulnerabilityResponseHours", "serviceLevels"]);

    public static readonly KeySet IncidentServiceLevels = new("incident service levels", [], ["acknowledge", "contain", "resolve"]);

    public static readonly KeySet ServiceLevels = new("service levels", [], ["availabilityPercent", "responseHours", "apiTerms"]);
}
