using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>A reason as a decision case states it: its code and, when any, the clause and agreement it names.</summary>
public sealed record ExpectedReason(string Code, string? Clause, string? Agreement)
{
    public static ExpectedReason From(Reason reason) =>
        new(DecisionNames.ToName(reason.Code), reason.Clause?.Value, reason.Agreement?.Value);

    public override string ToString() => $"{Code}({Agreement}{(Clause is null ? "" : "/" + Clause)})";
}
