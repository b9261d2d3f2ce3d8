using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Data.Egress;

namespace Concordat.Data.Attestations;

/// <summary>
/// The statement of an egress attestation (predicate <see cref="AttestationPredicateTypes.Egress"/>): the receipt of
/// one egress as a statement the recipient can keep. Its one subject is exactly the bytes sent.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public static class EgressStatement
{
    /// <summary>Builds the statement of one egress.</summary>
    /// <param name="egress">What left, under which decision and terms.</param>
    /// <param name="receipt">The receipt the egress writer produced.</param>
    /// <returns>The statement, ready to sign.</returns>
    public static InTotoStatement Create(EgressFacts egress, EgressReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(receipt);
        var predicate = new JsonObject
        {
            ["decisionId"] = egress.DecisionId,
            ["recipient"] = egress.Recipient,
            ["dataset"] = egress.Dataset,
            ["datasetVersion"] = egress.DatasetVersion,
            ["agreementDigest"] = egress.AgreementDigest.ToString(),
            ["purpose"] = egress.Purpose,
            ["obligations"] = new JsonArray([.. egress.Obligations.Order(StringComparer.Ordinal).Select(o => (JsonNode)o)]),
            ["format"] = egress.Format,
            ["rows"] = receipt.RowsSent,
            ["bytes"] = receipt.BytesSent,
            ["sha256"] = receipt.Sha256.ToString(),
            ["complete"] = receipt.IsComplete,
            ["at"] = Rfc3339.Format(egress.At),
        };
        return new InTotoStatement([AttestationSubject.FromSha256($"egress/{egress.DecisionId}.{egress.Format}", receipt.Sha256)], AttestationPredicateTypes.Egress, predicate);
    }
}
