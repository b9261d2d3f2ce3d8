using System.Text.Json;

namespace Concordat.Gateway.Datasets;

/// <summary>The receipt of one egress: the same figures as its log entry.</summary>
/// <remarks>
/// <see cref="BytesWritten"/> counts the bytes written to the response body (handed to the server to send), not bytes
/// the recipient is known to have received; <see cref="Bytes"/> is the same number under its former name, kept for
/// clients written before (deprecated). The withheld counts, version and manifest are absent on receipts stored before
/// they were recorded.
/// </remarks>
internal sealed record ReceiptResponse(
    string DecisionId,
    string TokenId,
    string Recipient,
    string Dataset,
    string Format,
    long Rows,
    long Bytes,
    string Sha256,
    bool IsComplete,
    long LogIndex,
    DateTimeOffset At,
    long BytesWritten,
    long? RowsWithheldByConsent,
    long? RowsWithheldByResidency,
    int? DatasetVersion,
    string? Manifest);

/// <summary>An imported dataset version.</summary>
internal sealed record DatasetVersionResponse(string Dataset, int Version, string Manifest, long Rows);

/// <summary>A dataset: whether an agreement in force declares it, and its stored versions.</summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="IsDeclared">Whether an agreement in force declares it (only then can it be imported or read).</param>
/// <param name="Versions">How many versions are stored.</param>
/// <param name="Latest">The newest version, the one a read serves; absent when none is stored.</param>
internal sealed record DatasetSummary(string Dataset, bool IsDeclared, int Versions, DatasetVersionSummary? Latest);

/// <summary>A stored dataset version.</summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Version">The version.</param>
/// <param name="Manifest">The digest of its manifest, as log entries and receipts name it.</param>
/// <param name="Rows">Its rows.</param>
/// <param name="ImportedAt">When it was imported.</param>
/// <param name="MatchesAgreement">Whether it was imported under the schema the agreement in force declares (rows of a version that does not are refused, GW6042); absent when no agreement in force declares the dataset.</param>
internal sealed record DatasetVersionSummary(string Dataset, int Version, string Manifest, long Rows, DateTimeOffset ImportedAt, bool? MatchesAgreement);

/// <summary>One stored dataset version with its manifest (docs/formats/datasets.md#manifest), exactly as stored.</summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Version">The version.</param>
/// <param name="ManifestDigest">The digest of the manifest's canonical JSON.</param>
/// <param name="Manifest">The manifest.</param>
internal sealed record DatasetVersionDetail(string Dataset, int Version, string ManifestDigest, JsonElement Manifest);
