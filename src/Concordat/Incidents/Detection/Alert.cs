using Concordat.Agreements;

namespace Concordat.Incidents.Detection;

/// <summary>
/// What a detector noticed about a recipient (and, when it knows it, one of its identities).
/// </summary>
/// <param name="Kind">The detector.</param>
/// <param name="Recipient">The recipient.</param>
/// <param name="ClientId">The identity, when the alert concerns one identity; <see langword="null"/> for the recipient as a whole.</param>
/// <param name="At">The time of the entry that raised the alert.</param>
/// <param name="FirstAnomalousAt">The time of the first entry of the anomaly (where time-to-detect starts).</param>
/// <param name="Observed">The value observed: rows, bytes, requests, denies, tokens or datasets in the window.</param>
/// <param name="Threshold">The value it exceeded (0 for the detectors of new values and hours).</param>
/// <param name="Subject">What the value counts or names: <c>rows</c>, <c>bytes</c>, a jurisdiction, a subprocessor, an hour.</param>
public sealed record Alert(AlertKind Kind, PartyId Recipient, ClientId? ClientId, DateTimeOffset At, DateTimeOffset FirstAnomalousAt, double Observed, double Threshold, string? Subject)
{
    /// <summary>Gets the alert's name in the vocabulary.</summary>
    public string Name => AlertVocabulary.NameOf(Kind);
}
