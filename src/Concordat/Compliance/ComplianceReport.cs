using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Compliance;

/// <summary>
/// An agreement version's compliance: for each applicable regime, each item satisfied (by which artifact, digest and
/// date, or by the log), missing, expired or failed.
/// </summary>
/// <param name="Agreement">The agreement.</param>
/// <param name="Version">Its version.</param>
/// <param name="Digest">Its digest.</param>
/// <param name="Scope">Its <c>compliance</c> scope, when it declares one.</param>
/// <param name="CheckedAt">The instant of the check: artifacts are in force or expired at it.</param>
/// <param name="Log">What the log showed.</param>
/// <param name="Regimes">The applicable regimes' results, by regime id.</param>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md#report
public sealed record ComplianceReport(AgreementId Agreement, int Version, Sha256Digest Digest, ComplianceScope? Scope, DateTimeOffset CheckedAt, ComplianceLogFacts Log, IReadOnlyList<ComplianceRegimeResult> Regimes)
{
    /// <summary>The <c>format</c> of the JSON form.</summary>
    public const string Format = "concordat-compliance-report/v1";

    /// <summary>Gets a value indicating whether no required item is missing, expired or failed.</summary>
    public bool IsSatisfied => !Items.Any(i => i.IsFailing);

    /// <summary>Gets a value indicating whether a required item failed because the log does not verify.</summary>
    public bool HasFailedEvidence => Items.Any(i => i.IsFailing && i.Status == ComplianceStatus.Failed);

    /// <summary>Gets every item's result, regime by regime.</summary>
    public IEnumerable<ComplianceItemResult> Items => Regimes.SelectMany(r => r.Items);

    /// <summary>Writes the report's JSON form (docs/formats/compliance-checklist.md#report).</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToJson()
    {
        var counts = new JsonObject();
        foreach (var status in Enum.GetValues<ComplianceStatus>())
        {
            counts[NameOf(status)] = Items.Count(i => i.Status == status);
        }

        return new JsonObject
        {
            ["format"] = Format,
            ["agreement"] = Agreement.Value,
            ["version"] = Version,
            ["digest"] = Digest.ToString(),
            ["checkedAt"] = Rfc3339.Format(CheckedAt),
            ["scope"] = Scope is null ? null : new JsonObject
            {
                ["jurisdictions"] = new JsonArray([.. Scope.Jurisdictions.Select(j => (JsonNode)j.Value)]),
                ["sectors"] = new JsonArray([.. Scope.Sectors.Select(s => (JsonNode)s)]),
            },
            ["satisfied"] = IsSatisfied,
            ["counts"] = counts,
            ["log"] = new JsonObject
            {
                ["verified"] = Log.IsLogVerified,
                ["treeSize"] = Log.TreeSize,
                ["checkpointSigned"] = Log.IsCheckpointSigned,
                ["cosignatures"] = Log.Cosignatures,
                ["problem"] = Log.Problem,
            },
            ["regimes"] = new JsonArray([.. Regimes.Select(r => (JsonNode)new JsonObject
            {
                ["regime"] = r.Checklist.Regime,
                ["title"] = r.Checklist.Title,
                ["version"] = r.Checklist.Version,
                ["items"] = new JsonArray([.. r.Items.Select(ItemJson)]),
            })]),
        };
    }

    /// <summary>Names a status as the JSON form writes it, such as <c>not-applicable</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>Its kebab-case name.</returns>
    public static string NameOf(ComplianceStatus status) => status == ComplianceStatus.NotApplicable ? "not-applicable" : status.ToString().ToLowerInvariant();

    private static JsonNode ItemJson(ComplianceItemResult result)
    {
        var item = new JsonObject
        {
            ["id"] = result.Item.Id,
            ["obligation"] = result.Item.Obligation,
            ["source"] = result.Item.Source,
            ["required"] = result.Item.IsRequired,
            ["status"] = NameOf(result.Status),
            ["evidence"] = result.Item.Evidence is { } evidence ? ComplianceChecklists.NameOf(evidence) : null,
            ["artifacts"] = new JsonArray([.. result.Item.Artifacts.Select(a => (JsonNode)a)]),
            ["detail"] = result.Detail,
        };
        if (result.Artifact is { } artifact)
        {
            item["artifact"] = new JsonObject
            {
                ["kind"] = artifact.Kind,
                ["name"] = artifact.Name,
                ["digest"] = artifact.Digest.ToString(),
                ["declared"] = result.IsDeclared,
                ["registeredAt"] = result.IsDeclared ? null : Rfc3339.Format(artifact.RegisteredAt),
                ["expiresAt"] = artifact.ExpiresAt is { } expires ? Rfc3339.Format(expires) : null,
                ["signedBy"] = artifact.SignedBy,
            };
        }

        return item;
    }
}
