namespace Concordat.Gateway.Datasets;

/// <summary>The receipt of one egress: the same figures as its log entry.</summary>
internal sealed record ReceiptResponse(string DecisionId, string TokenId, string Recipient, string Dataset, string Format, long Rows, long Bytes, string Sha256, bool IsComplete, long LogIndex, DateTimeOffset At);

/// <summary>An imported dataset version.</summary>
internal sealed record DatasetVersionResponse(string Dataset, int Version, string Manifest, long Rows);
