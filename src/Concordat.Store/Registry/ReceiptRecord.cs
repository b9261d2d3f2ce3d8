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
public sealed record ReceiptRecord(DecisionId DecisionId, TokenId TokenId, PartyId Recipient, DatasetId Dataset, string Format, long Rows, long Bytes, Sha256Digest Sha256, bool IsComplete, long LogIndex, DateTimeOffset At);
