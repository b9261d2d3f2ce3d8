using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Amendments;

/// <summary>
/// The JSON form of a diff (docs/cli.md, `agreement diff --json`) and its digest: SHA-256 over its RFC 8785 canonical
/// bytes, which amendment log entries name so that anyone holding both versions recomputes it.
/// </summary>
public static class AgreementDiffJson
{
    /// <summary>Writes <paramref name="diff"/> of <paramref name="before"/> and <paramref name="after"/>.</summary>
    /// <param name="diff">The diff.</param>
    /// <param name="before">The old version.</param>
    /// <param name="after">The new version.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Write(AgreementDiff diff, Agreement before, Agreement after)
    {
        ArgumentNullException.ThrowIfNull(diff);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var json = new JsonObject
        {
            ["agreement"] = before.Id.Value,
            ["before"] = Version(before),
            ["after"] = Version(after),
            ["grantsMore"] = diff.GrantsMore,
            ["widens"] = diff.Widens,
            ["requestsCompared"] = diff.RequestsCompared,
            ["changes"] = new JsonArray([.. diff.Changes.Select(c => (JsonNode)new JsonObject
            {
                ["class"] = AgreementEnumText.ToText(c.Class),
                ["clause"] = c.Clause,
                ["aspect"] = c.Aspect,
                ["description"] = c.Description,
            })]),
        };
        if (diff.Widening is { } widening)
        {
            json["widening"] = Witness(widening);
        }

        if (diff.Narrowing is { } narrowing)
        {
            json["narrowing"] = Witness(narrowing);
        }

        return json;
    }

    /// <summary>The document <c>agreement diff --json</c> prints and the gateway serves: <see cref="Write"/>'s output with the verdict in a sentence and the digest.</summary>
    /// <param name="diff">The diff.</param>
    /// <param name="before">The old version.</param>
    /// <param name="after">The new version.</param>
    /// <returns>The JSON object, with <c>verdict</c> and <c>digest</c>, which the digest does not cover.</returns>
    public static JsonObject Document(AgreementDiff diff, Agreement before, Agreement after)
    {
        var document = Write(diff, before, after);
        var digest = CanonicalJson.Digest(document);
        document["verdict"] = diff.Verdict;
        document["digest"] = digest.ToString();
        return document;
    }

    /// <summary>The digest of <see cref="Write"/>'s output.</summary>
    /// <param name="diff">The diff.</param>
    /// <param name="before">The old version.</param>
    /// <param name="after">The new version.</param>
    /// <returns>SHA-256 over the canonical JSON.</returns>
    public static Sha256Digest Digest(AgreementDiff diff, Agreement before, Agreement after) => CanonicalJson.Digest(Write(diff, before, after));

    private static JsonObject Version(Agreement agreement) => new()
    {
        ["version"] = agreement.Version,
        ["digest"] = AgreementDigest.Compute(agreement).ToString(),
    };

    private static JsonObject Witness(DiffWitness witness) => new()
    {
        ["request"] = DecisionJson.WriteRequest(witness.Request),
        ["obligationsOnly"] = witness.ObligationsOnly,
        ["before"] = Decision(witness.Before),
        ["after"] = Decision(witness.After),
    };

    private static JsonObject Decision(Decision decision)
    {
        var json = new JsonObject
        {
            ["effect"] = DecisionNames.ToName(decision.Effect),
            ["reasons"] = new JsonArray([.. decision.Reasons.Select(r => (JsonNode)DecisionJson.WriteReason(r))]),
        };
        if (decision.IsPermit)
        {
            json["obligations"] = DecisionJson.WriteObligations(decision.Obligations);
        }

        return json;
    }
}
