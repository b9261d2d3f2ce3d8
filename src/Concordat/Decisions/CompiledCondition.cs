using Concordat.Agreements.Conditions;

namespace Concordat.Decisions;

/// <summary>
/// What is left of a condition once the dataset's and the recipient's attributes are folded in at compile time:
/// a small tree of tests on the request's interned facts, each a bit test or one comparison, evaluated without
/// allocation in Kleene's three-valued logic.
/// </summary>
internal abstract class CompiledCondition
{
    public abstract Truth Evaluate(in RequestFacts facts);
}

/// <summary>A truth value fixed at compile time.</summary>
internal sealed class ConstantCondition(Truth value) : CompiledCondition
{
    public Truth Value { get; } = value;

    public override Truth Evaluate(in RequestFacts facts) => Value;
}

/// <summary><c>not</c>.</summary>
internal sealed class NotCondition(CompiledCondition operand) : CompiledCondition
{
    public override Truth Evaluate(in RequestFacts facts) => (Truth)(2 - (int)operand.Evaluate(in facts));
}

/// <summary><c>and</c> (the minimum) or <c>or</c> (the maximum) of the operands.</summary>
internal sealed class JunctionCondition(bool isAnd, CompiledCondition[] operands) : CompiledCondition
{
    public override Truth Evaluate(in RequestFacts facts)
    {
        var result = isAnd ? Truth.True : Truth.False;
        foreach (var operand in operands)
        {
            var value = operand.Evaluate(in facts);
            if (isAnd ? value < result : value > result)
            {
                result = value;
            }
        }

        return result;
    }
}

/// <summary>Which request fact a <see cref="FactCondition"/> tests.</summary>
internal enum RequestFact : byte
{
    Action,
    Purpose,
    Jurisdiction,
    Subprocessor,
    Role,
}

/// <summary>
/// Membership of one interned request fact in a set fixed at compile time. A fact the request does not carry
/// (no subprocessor, no role) is unknown.
/// </summary>
internal sealed class FactCondition(RequestFact fact, BitSet members) : CompiledCondition
{
    public override Truth Evaluate(in RequestFacts facts)
    {
        var value = fact switch
        {
            RequestFact.Action => System.Numerics.BitOperations.TrailingZeroCount(facts.ActionBit),
            RequestFact.Purpose => facts.Purpose,
            RequestFact.Jurisdiction => facts.Jurisdiction,
            RequestFact.Subprocessor => facts.Subprocessor,
            _ => facts.Role,
        };
        if ((fact == RequestFact.Subprocessor && value == CompiledGrant.NoSubprocessor) || (fact == RequestFact.Role && value < 0))
        {
            return Truth.Unknown;
        }

        return members.Contains(value) ? Truth.True : Truth.False;
    }
}

/// <summary>The request's time compared with an instant fixed at compile time.</summary>
internal sealed class TimeCondition(string op, long ticks) : CompiledCondition
{
    public override Truth Evaluate(in RequestFacts facts)
    {
        var holds = op switch
        {
            "==" => facts.Ticks == ticks,
            "!=" => facts.Ticks != ticks,
            "<" => facts.Ticks < ticks,
            "<=" => facts.Ticks <= ticks,
            ">" => facts.Ticks > ticks,
            _ => facts.Ticks >= ticks,
        };
        return holds ? Truth.True : Truth.False;
    }
}
