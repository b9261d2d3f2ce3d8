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

    public required int Actions { get; init; }

    public required bool AnyPurpose { get; init; }

    public required BitSet Purposes { get; init; }

    public required bool AnyJurisdiction { get; init; }

    public required BitSet Jurisdictions { get; init; }

    public required bool AnyRecipient { get; init; }

    public required BitSet Recipients { get; init; }

    /// <summary>Gets the datasets of the agreement it applies to, after its dataset and sensitivity lists.</summary>
    public required BitSet Datasets { get; init; }

    public bool Matches(int actionBit, int purpose, int jurisdiction) =>
        (Actions & actionBit) != 0
        && (AnyPurpose || Purposes.Contains(purpose))
        && (AnyJurisdiction || Jurisdictions.Contains(jurisdiction));
}
