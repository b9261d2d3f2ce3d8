using System.Text;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>One request of a decision case file and the answer it must get.</summary>
/// <param name="Name">What the case checks.</param>
/// <param name="Request">The request.</param>
/// <param name="Effect">The expected effect.</param>
/// <param name="Reasons">The expected reasons, in order.</param>
/// <param name="Obligations">The expected obligations as canonical JSON, when the case checks them.</param>
public sealed record DecisionCase(string Name, DecisionRequest Request, Effect Effect, IReadOnlyList<ExpectedReason> Reasons, string? Obligations)
{
    /// <summary>Says how <paramref name="decision"/> differs from the expected one, or null when it does not.</summary>
    public string? Difference(Decision decision) => Difference(
        decision.Effect,
        [.. decision.Reasons.Select(ExpectedReason.From)],
        Encoding.UTF8.GetString(CanonicalJson.Canonicalize(DecisionJson.WriteObligations(decision.Obligations))));

    /// <summary>Says how the decision a record holds (as <c>concordat decide</c> prints it and <c>POST /v1/decisions</c> returns it) differs from the expected one, or null when it does not.</summary>
    public string? Difference(DecisionRecordV1 record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Difference(
            record.Effect,
            [.. record.Reasons.Select(ExpectedReason.From)],
            Encoding.UTF8.GetString(CanonicalJson.Canonicalize(DecisionJson.WriteObligations(record.Obligations))));
    }

    /// <summary>Says how a decision (effect, reasons and obligations as JSON) differs from the expected one, or null when it does not.</summary>
    public string? Difference(Effect effect, IReadOnlyList<ExpectedReason> reasons, string obligations)
    {
        if (effect != Effect)
        {
            return $"{Name}: effect {DecisionNames.ToName(effect)}, expected {DecisionNames.ToName(Effect)}";
        }

        if (!reasons.SequenceEqual(Reasons))
        {
            return $"{Name}: reasons [{string.Join(", ", reasons)}], expected [{string.Join(", ", Reasons)}]";
        }

        return Obligations is null || Obligations == obligations ? null : $"{Name}: obligations {obligations}, expected {Obligations}";
    }
}
