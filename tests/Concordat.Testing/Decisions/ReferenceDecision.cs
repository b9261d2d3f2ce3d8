using Concordat.Decisions;

namespace Concordat.Testing.Decisions;

/// <summary>What the reference evaluator decides, comparable with a compiled <see cref="Decision"/>.</summary>
public sealed record ReferenceDecision(Effect Effect, IReadOnlyList<Reason> Reasons, Obligations Obligations, IReadOnlyList<AgreementReference> Agreements)
{
    /// <summary>Gets the dataset and recipient attributes the deciding clauses' conditions read, ordered by name.</summary>
    public IReadOnlyList<AttributeValue> Attributes { get; init; } = [];

    /// <summary>Tells whether <paramref name="decision"/> says exactly the same, or describes the first difference.</summary>
    public string? Difference(Decision decision)
    {
        if (decision.Effect != Effect)
        {
            return $"effect {decision.Effect}, reference {Effect}";
        }

        if (!decision.Reasons.SequenceEqual(Reasons))
        {
            return $"reasons [{string.Join("; ", decision.Reasons)}], reference [{string.Join("; ", Reasons)}]";
        }

        if (!decision.Obligations.Equals(Obligations))
        {
            return $"obligations {decision.Obligations}, reference {Obligations}";
        }

        if (!decision.Agreements.SequenceEqual(Agreements))
        {
            return $"agreements [{string.Join(", ", decision.Agreements)}], reference [{string.Join(", ", Agreements)}]";
        }

        return decision.Attributes.SequenceEqual(Attributes)
            ? null
            : $"attributes [{string.Join("; ", decision.Attributes)}], reference [{string.Join("; ", Attributes)}]";
    }
}
