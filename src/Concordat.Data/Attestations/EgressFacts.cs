using Concordat.Core;

namespace Concordat.Data.Attestations;

/// <summary>The facts of one egress beside its receipt: the decision, the terms and the time.</summary>
/// <param name="DecisionId">The decision id the egress was permitted under.</param>
/// <param name="Recipient">The recipient party.</param>
/// <param name="Dataset">The dataset id.</param>
/// <param name="DatasetVersion">The version served; <see langword="null"/> when none is recorded.</param>
/// <param name="AgreementDigest">The digest of the agreement that permitted it.</param>
/// <param name="Purpose">The purpose it was granted for.</param>
/// <param name="Obligations">The obligations applied (field and row rules), as the decision names them.</param>
/// <param name="Format">The format sent: <c>csv</c> or <c>ndjson</c>.</param>
/// <param name="At">When the egress ended.</param>
public sealed record EgressFacts(string DecisionId, string Recipient, string Dataset, int? DatasetVersion, Sha256Digest AgreementDigest, string Purpose, IReadOnlyList<string> Obligations, string Format, DateTimeOffset At);
