using Concordat.Agreements;

namespace Concordat.Decisions;

/// <summary>
/// A prohibition with its ids interned, its purposes closed under the agreement's vocabulary and its
/// jurisdictions expanded over groups. Recipients and datasets are resolved into the cells.
/// </summary>
internal sealed class CompiledProhibition
{
    public required int Agreement { get; init; }

    public required ClauseId Id { get; init; }

    public required Prohibition Source { get; init; }

    public required int Actions { get; init; }

    public required bool AnyPurpose { get; init; }

    public required BitSet Purposes { get; init; }

    public required bool AnyJurisdiction { get; init; }

    public required BitSet Jurisdictions { get; init; }

    public required bool AnyRecipient { get; init; }

    public required BitSet Recipients { get; init; }

    /// <summary>Gets the datasets of the agreement it applies to, after its dataset and sensitivity lists.</summary>
    public required BitSet Datasets { get; init; }

    /// <summary>Gets what is left of <c>when</c> in the prohibition's cell, or null when it has none.</summary>
    public CompiledCondition? When { get; init; }

    /// <summary>Gets what is left of <c>unless</c> in the prohibition's cell, or null when it has none.</summary>
    public CompiledCondition? Unless { get; init; }

    /// <summary>Gets the dataset and recipient attributes its conditions read in its cell.</summary>
    public AttributeValue[] Attributes { get; init; } = [];

    /// <summary>A copy of the prohibition for one cell, with its conditions folded over that cell's dataset and recipient.</summary>
    public CompiledProhibition ForCell(CompiledCondition? when, CompiledCondition? unless, AttributeValue[] attributes) => new()
    {
        Agreement = Agreement,
        Id = Id,
        Source = Source,
        Actions = Actions,
        AnyPurpose = AnyPurpose,
        Purposes = Purposes,
        AnyJurisdiction = AnyJurisdiction,
        Jurisdictions = Jurisdictions,
        AnyRecipient = AnyRecipient,
        Recipients = Recipients,
        Datasets = Datasets,
        When = when,
        Unless = unless,
        Attributes = attributes,
    };

    // Security: `when` applies unless it is false (unknown forbids); `unless` exempts only when it is true.
    public bool Matches(in RequestFacts facts) =>
        (Actions & facts.ActionBit) != 0
        && (AnyPurpose || Purposes.Contains(facts.Purpose))
        && (AnyJurisdiction || Jurisdictions.Contains(facts.Jurisdiction))
        && (When is null || When.Evaluate(in facts) != Agreements.Conditions.Truth.False)
        && (Unless is null || Unless.Evaluate(in facts) != Agreements.Conditions.Truth.True);
}
