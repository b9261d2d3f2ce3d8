namespace Concordat.Store.Registry;

/// <summary>
/// The reporter's words of one report, as the gateway took them in: kept in the store, off the log (which holds only
/// their SHA-256), so that every replica of the store can show them to the operator.
/// </summary>
/// <param name="Id">The report id.</param>
/// <param name="ReceivedAt">When the report was taken in.</param>
/// <param name="Document">The report as a JSON document, exactly the bytes whose SHA-256 the log's entry holds.</param>
/// <remarks>The document MUST NOT hold the follow-up secret: the log's entry holds its SHA-256, and nothing else does.</remarks>
// CAUTION: persisted format: the SHA-256 of Document is in the log (docs/formats/gateway-entries.md, contentSha256).
public sealed record ReportContentRecord(ReportId Id, DateTimeOffset ReceivedAt, byte[] Document);
