namespace Concordat.Diligence;

/// <summary>One question of a due-diligence questionnaire.</summary>
/// <param name="Id">The question id, unique in the questionnaire (an answers file names it).</param>
/// <param name="Text">The question as the party reads it.</param>
/// <param name="Weight">How much it counts in its section, at least 1.</param>
// CAUTION: persisted/public format; see docs/formats/diligence.md
public sealed record DiligenceQuestion(string Id, string Text, int Weight);
