namespace Concordat.Decisions;

/// <summary>
/// Everything that can decide a request for one recipient and one dataset.
/// </summary>
internal sealed class PolicyCell
{
    /// <summary>At most this many grants are packed three bits each into a 64-bit outcome key.</summary>
    public const int MaxPackedGrants = 21;

    public required int Index { get; init; }

    /// <summary>Gets the decision for every request of the cell when no clause is evaluated (conflict, not in force).</summary>
    public Decision? Fixed { get; init; }

    /// <summary>Gets the governing agreement, or -1 when <see cref="Fixed"/> is set.</summary>
    public required int Agreement { get; init; }

    public required CompiledGrant[] Grants { get; init; }

    public required CompiledProhibition[] Prohibitions { get; init; }

    /// <summary>Gets a value indicating whether outcomes fit the packed keys of the outcome cache.</summary>
    public bool IsPacked => Grants.Length <= MaxPackedGrants && Prohibitions.Length <= 64;
}
