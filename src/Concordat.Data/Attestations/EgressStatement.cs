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
        return Build(egress, receipt, egress.DecisionId, receipt.RowsSent);
    }

    /// <summary>Builds the statement of one fetch of a served file, whole or one byte range of it.</summary>
    /// <param name="egress">What left, under which decision and terms.</param>
    /// <param name="receipt">What this fetch sent: the bytes and SHA-256 of exactly what was written.</param>
    /// <param name="range">The file and the range this fetch sent.</param>
    /// <returns>The statement, ready to sign: its subject is <c>egress/{fetchId}.{format}</c>, the bytes sent; <c>rows</c> is <see langword="null"/> unless the whole file left.</returns>
    /// <remarks>
    /// Why one statement per fetch: a Parquet reader fetches a file as several ranges under one decision (the footer
    /// first), so each attestation states exactly the bytes that one fetch sent, and where they sit in the whole file.
    /// </remarks>
    public static InTotoStatement CreateForFetch(EgressFacts egress, EgressReceipt receipt, EgressFileRange range)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(range);
        var statement = Build(egress, receipt, range.FetchId, range.IsWholeFile && receipt.IsComplete ? receipt.RowsSent : null);
        statement.Predicate["fetchId"] = range.FetchId;
        statement.Predicate["file"] = new JsonObject { ["size"] = range.FileSize, ["sha256"] = range.FileSha256.ToString() };
        statement.Predicate["range"] = new JsonObject { ["offset"] = range.Offset, ["length"] = range.Length };
        return statement;
    }

    private static InTotoStatement Build(EgressFacts egress, EgressReceipt receipt, string subjectId, long? rows)
    {
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
            ["rows"] = rows,
            ["bytes"] = receipt.BytesSent,
            ["sha256"] = receipt.Sha256.ToString(),
            ["complete"] = receipt.IsComplete,
            ["at"] = Rfc3339.Format(egress.At),
        };
        return new InTotoStatement([AttestationSubject.FromSha256($"egress/{subjectId}.{egress.Format}", receipt.Sha256)], AttestationPredicateTypes.Egress, predicate);
    }
}
