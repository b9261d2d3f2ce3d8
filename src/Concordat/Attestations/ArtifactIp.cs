using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Licences;

namespace Concordat.Attestations;

/// <summary>
/// The IP of an attested artifact — a dataset version, a model, a tool, a finding — classified under every agreement
/// given (<see cref="IpClassifier"/>) and written as the predicate member <c>ip</c> of its attestation.
/// </summary>
/// <remarks>
/// One shape for every predicate that records IP (<c>dataset-version/v1</c>, <c>model/v1</c>, <c>artifact/v1</c>;
/// docs/formats/attestations.md): <c>category</c>, <c>owners</c> (every owner some agreement's terms give, sorted; the
/// party itself when no agreement is given; empty for third-party IP), <c>externalOwner</c> and <c>terms</c> per agreement.
/// </remarks>
public static class ArtifactIp
{
    /// <summary>Classifies an artifact under every agreement given.</summary>
    /// <param name="agreements">The agreements whose <c>intellectualProperty</c> terms apply; none for an artifact made outside any.</param>
    /// <param name="name">How findings name the artifact.</param>
    /// <param name="kind">What the artifact is.</param>
    /// <param name="category">Where its IP comes from.</param>
    /// <param name="party">The party that brought it (background) or created it (foreground); <see langword="null"/> for third-party IP.</param>
    /// <param name="externalOwner">For third-party IP, who owns it outside the agreements.</param>
    /// <param name="licence">Its SPDX licence expression, checked against each agreement's <c>thirdPartyLicences</c> for third-party IP.</param>
    /// <returns>The owners per agreement and in all, and the findings; an error among them MUST refuse the attestation.</returns>
    public static ModelIp Classify(IReadOnlyList<Agreement> agreements, string name, ArtifactKind kind, IpCategory category, string? party, string? externalOwner, string? licence)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        ArgumentNullException.ThrowIfNull(name);
        var terms = new List<ModelIpTerms>();
        var findings = new List<Diagnostic>();
        foreach (var agreement in agreements)
        {
            var member = agreement.Parties.Any(p => p.Id.Value == party) ? new PartyId(party!) : (PartyId?)null;
            var classified = IpClassifier.Classify(agreement, new IpArtifact(name, kind, category, member, externalOwner, licence));
            terms.Add(new ModelIpTerms(agreement.Id.Value, agreement.Version, [.. classified.Owners.Select(o => o.Value)]));
            findings.AddRange(classified.Findings);
        }

        IReadOnlyList<string> owners = category == IpCategory.ThirdParty || (terms.Count == 0 && party is null) ? []
            : terms.Count == 0 ? [party!]
            : [.. terms.SelectMany(t => t.Owners).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new ModelIp(category, owners, category == IpCategory.ThirdParty ? externalOwner : null, terms, findings);
    }

    /// <summary>Writes a classification as the predicate member <c>ip</c>.</summary>
    /// <param name="ip">The classification, without errors.</param>
    /// <returns><c>{"category","owners","externalOwner","terms":[{"agreement","version","owners"}]}</c>.</returns>
    public static JsonObject ToJson(ModelIp ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        return new JsonObject
        {
            ["category"] = IpClassifier.NameOf(ip.Category),
            ["owners"] = new JsonArray([.. ip.Owners.Select(o => (JsonNode)o)]),
            ["externalOwner"] = ip.ExternalOwner,
            ["terms"] = new JsonArray([.. ip.Terms.Select(t => (JsonNode)new JsonObject
            {
                ["agreement"] = t.Agreement,
                ["version"] = t.Version,
                ["owners"] = new JsonArray([.. t.Owners.Select(o => (JsonNode)o)]),
            })]),
        };
    }
}
