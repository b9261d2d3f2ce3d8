namespace Concordat.Agreements;

/// <summary>
/// How the agreement can be ended and what happens to the data then.
/// </summary>
/// <param name="NoticeDays">Days of notice either party must give.</param>
/// <param name="DeleteWithinDays">Days within which received data must be deleted after termination.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record TerminationTerms(int NoticeDays, int? DeleteWithinDays);
