using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Store.Registry;

/// <summary>
/// What left under one egress decision, so that the recipient can match its own count and hash against the log.
/// </summary>
/// <param name="DecisionId">The id of the decision the egress carried out (the event, not the record's digest).</param>
/// <param name="TokenId">The token the recipient used.</param>
/// <param name="Recipient">The recipient.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Format">The format sent: <c>csv</c> or <c>ndjson</c>.</param>
/// <param name="Rows">The rows sent.</param>
/// <param name="Bytes">The bytes sent.</param>
/// <param name="Sha256">The SHA-256 of exactly the bytes sent.</param>
/// <param name="IsComplete">Whether the stream ran to its end (a seal or the client going away stops it).</param>
/// <param name="LogIndex">The index of the egress entry in the transparency log.</param>
/// <param name="At">When the stream ended.</param>
/// <param name="RowsWithheldByConsent">Rows withheld because their consent does not cover the purpose; null on receipts stored before it was recorded.</param>
/// <param name="RowsWithheldByResidency">Rows withheld because they are not resident in an accepted jurisdiction (a row withheld for consent is not counted again); null on older receipts.</param>
/// <param name="DatasetVersion">The dataset version served; null on older receipts.</param>
/// <param name="Manifest">The digest of that version's manifest; null on older receipts.</param>
/// <remarks><paramref name="Bytes"/> counts the bytes written to the response body (handed to the server to send), not bytes the recipient is known to have received.</remarks>
public sealed record ReceiptRecord(
    DecisionId DecisionId,
    TokenId TokenId,
    PartyId Recipient,
    DatasetId Dataset,
    string Format,
    long Rows,
    long Bytes,
    Sha256Digest Sha256,
    bool IsComplete,
    long LogIndex,
    DateTimeOffset At,
    long? RowsWithheldByConsent = null,
    long? RowsWithheldByResidency = null,
    int? DatasetVersion = null,
    Sha256Digest? Manifest = null);
