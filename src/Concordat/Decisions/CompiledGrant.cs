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

    /// <summary>The decision when this grant alone permits: built on first use, then shared.</summary>
    [SuppressMessage("Design", "CA1051:Do not declare visible instance fields", Justification = "Set with Interlocked.CompareExchange, which needs a field")]
    internal Decision? _permit;

    /// <summary>Gets the decision when this grant alone permits, once built.</summary>
    public Decision? Permit => Volatile.Read(ref _permit);

    public GrantState Evaluate(int actionBit, int purpose, int jurisdiction, int subprocessor, long ticks)
    {
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

        return GrantState.Matches;
    }
}
