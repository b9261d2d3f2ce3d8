namespace Concordat.Gateway.Diligence;

/// <summary>A due-diligence record the gateway holds: who was scored, how, by whom and when, and the envelope's digest.</summary>
/// <param name="Party">The party or subprocessor scored.</param>
/// <param name="Questionnaire">The questionnaire's id.</param>
/// <param name="Version">The questionnaire's version.</param>
/// <param name="Overall">The overall score in percent, one fraction digit (decimal text, as the record writes it).</param>
/// <param name="Passed">Whether every section and the overall score reach the questionnaire's minimums.</param>
/// <param name="Assessor">Who assessed.</param>
/// <param name="AssessedAt">When: a requirement's age counts from here.</param>
/// <param name="Envelope">The SHA-256 of the envelope exactly as uploaded.</param>
/// <param name="KeyId">The pinned key that signed it.</param>
// CAUTION: persisted/public format; see docs/api.md
internal sealed record DiligenceRecordSummary(string Party, string Questionnaire, int Version, string Overall, bool Passed, string Assessor, DateTimeOffset AssessedAt, string Envelope, string KeyId);
