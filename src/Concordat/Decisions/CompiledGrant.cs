using System.Diagnostics.CodeAnalysis;
using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// A grant with its ids interned and its purposes closed under the agreement's vocabulary.
/// </summary>
internal sealed class CompiledGrant
{
    /// <summary>A subprocessor value meaning "the request names none".</summary>
    public const int NoSubprocessor = int.MinValue;

    public required int Agreement { get; init; }

    public required Grant Source { get; init; }

    public required int Actions { get; init; }

    public required BitSet Purposes { get; init; }

    public required bool AnyJurisdiction { get; init; }

    public required BitSet Jurisdictions { get; init; }

    public required BitSet Subprocessors { get; init; }

    public required long From { get; init; }

    public required long Until { get; init; }

    /// <summary>Gets what is left of the grant's condition in its cell, or null when it has none.</summary>
    public CompiledCondition? Condition { get; init; }

    /// <summary>Gets the dataset and recipient attributes the condition read in its cell.</summary>
    public AttributeValue[] Attributes { get; init; } = [];

    /// <summary>The decision when this grant alone permits: built on first use, then shared.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Set with Interlocked.CompareExchange, which needs a field")]
    internal Decision? _permit;

    /// <summary>Gets the decision when this grant alone permits, once built.</summary>
    public Decision? Permit => Volatile.Read(ref _permit);

    /// <summary>A copy of the grant for one cell, with its condition folded over that cell's dataset and recipient.</summary>
    public CompiledGrant ForCell(CompiledCondition condition, AttributeValue[] attributes) => new()
    {
        Agreement = Agreement,
        Source = Source,
        Actions = Actions,
        Purposes = Purposes,
        AnyJurisdiction = AnyJurisdiction,
        Jurisdictions = Jurisdictions,
        Subprocessors = Subprocessors,
        From = From,
        Until = Until,
        Condition = condition,
        Attributes = attributes,
    };

    public GrantState Evaluate(in RequestFacts facts)
    {
        var (actionBit, purpose, jurisdiction, subprocessor, ticks) = (facts.ActionBit, facts.Purpose, facts.Jurisdiction, facts.Subprocessor, facts.Ticks);
        if ((Actions & actionBit) == 0 || !Purposes.Contains(purpose))
        {
            return GrantState.NotApplicable;
        }

        if (ticks < From || ticks >= Until)
        {
            return GrantState.OutsideWindow;
        }

        if (!AnyJurisdiction && !Jurisdictions.Contains(jurisdiction))
        {
            return GrantState.JurisdictionNotPermitted;
        }

        if (subprocessor != NoSubprocessor && !Subprocessors.Contains(subprocessor))
        {
            return GrantState.SubprocessorNotPermitted;
        }

        // Security: only true permits; a condition that reads a missing attribute is unknown and never permits.
        if (Condition is { } condition && condition.Evaluate(in facts) != Agreements.Conditions.Truth.True)
        {
            return GrantState.ConditionNotMet;
        }

        return GrantState.Matches;
    }
}
