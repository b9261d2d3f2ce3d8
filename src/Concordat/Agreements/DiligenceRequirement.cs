namespace Concordat.Agreements;

/// <summary>
/// A due-diligence requirement (<c>diligence:</c>): before a version of the agreement comes into force, and while it
/// stays in force, the party (or subprocessor) has a due-diligence record signed by one of the assessor keys, no older
/// than <paramref name="MaxAgeDays"/> days, whose overall score is at least <paramref name="MinScore"/> and whose
/// every section reaches the questionnaire's minimum (docs/design/due-diligence.md).
/// </summary>
/// <param name="Party">The party the record is about.</param>
/// <param name="MaxAgeDays">The most days since the record's <c>assessedAt</c>.</param>
/// <param name="MinScore">The least overall score, in percent.</param>
/// <param name="AssessorKeys">The assessors' verifier keys (<c>name+hash+base64</c>): a record signed by none of them does not count.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record DiligenceRequirement(PartyId Party, int MaxAgeDays, int MinScore, IReadOnlyList<string> AssessorKeys);
