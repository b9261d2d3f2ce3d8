using Concordat.Agreements;
using Concordat.Core;
using Concordat.Diligence;

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

/// <summary>A due-diligence requirement not met: an item of a GW6911 problem's <c>diligence</c>.</summary>
/// <param name="Party">The party or subprocessor the requirement names.</param>
/// <param name="Missing">What is missing, by <see cref="DiligenceShortfall.Name"/>: <c>no-record</c> or <c>assessor-not-named</c>, else each shortfall of the newest record (<c>too-old</c>, <c>score-too-low</c>, <c>minimum-not-reached</c>).</param>
/// <param name="Message">The same in one line, naming the party.</param>
// CAUTION: persisted/public format; see docs/api.md
internal sealed record DiligenceUnmet(string Party, IReadOnlyList<string> Missing, string Message);

/// <summary>A record an agreement in force relies on, now past the requirement's <c>maxAgeDays</c>: what the <c>diligence-expired</c> alert names.</summary>
/// <param name="Agreement">The agreement in force.</param>
/// <param name="Requirement">Its requirement the record met.</param>
/// <param name="Record">The record.</param>
/// <param name="Envelope">The SHA-256 of the record's envelope, as the gateway names it.</param>
internal sealed record DiligenceLapse(string Agreement, DiligenceRequirement Requirement, DiligenceRecord Record, Sha256Digest Envelope);
